import type { Activity, CloudAdapter, InvokeResponse, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { TeamsSettings } from './settings.teams.ts';

// The settings and their checks live apart from the SDK, so start-up can check them without loading it.
export { isLocalMode, settingsProblem, type TeamsSettings } from './settings.teams.ts';

/** botframework-connector's type, reached through botbuilder's public surface. */
type AuthenticateRequestResult = Exclude<Parameters<CloudAdapter['processActivityDirect']>[0], string>;

/**
 * botbuilder's public-cloud endpoints. Setting any one endpoint makes botbuilder expect all of
 * them, so they are spelled out when only the key metadata URL is changed.
 */
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/**
 * teams-ai's TeamsAdapter (a botbuilder CloudAdapter) with authentication taken apart from
 * processing, so that every authentication failure, including one met while fetching signing
 * keys, answers 401 instead of botbuilder's 500.
 */
export class ImiTeamsAdapter extends TeamsAdapter {
  constructor(readonly settings: TeamsSettings) {
    super({
      MicrosoftAppId: settings.appId,
      MicrosoftAppPassword: settings.appPassword,
      MicrosoftAppType: settings.appType,
      MicrosoftAppTenantId: settings.tenantId,
      ...(settings.openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: settings.openIdMetadataUrl } : {}),
    });
  }

  /** The verified identity of the caller, or the reason it has none. */
  async authenticate(activity: Activity, authHeader: string): Promise<{ ok: true; result: AuthenticateRequestResult } | { ok: false; reason: string }> {
    try {
      return { ok: true, result: await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader) };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Runs the bot logic for an activity whose caller was authenticated. */
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}
