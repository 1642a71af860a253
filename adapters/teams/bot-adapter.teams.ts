import type { Activity, CloudAdapter, InvokeResponse, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';

/** The Teams settings of src/config.ts (`config.teams`), as this adapter reads them. */
export interface TeamsSettings {
  /** Empty = local mode: no authentication either way (Bot Framework Emulator, tests). */
  appId: string;
  appPassword: string;
  /** SingleTenant, MultiTenant or UserAssignedMSI. */
  appType: string;
  tenantId: string;
  /** Where inbound tokens' signing keys are published; botbuilder's default (Bot Framework's) when unset. */
  openIdMetadataUrl?: string;
}

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

const APP_TYPES = ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'];

export const isLocalMode = (settings: TeamsSettings): boolean => settings.appId.trim() === '';

/**
 * Settings that cannot work, as one sentence for the operator; null when they can. Local mode is
 * refused in production because /api/messages would then accept anyone's activities.
 */
export function settingsProblem(settings: TeamsSettings, production: boolean): string | null {
  if (isLocalMode(settings)) {
    return production
      ? 'MicrosoftAppId is empty, and NODE_ENV=production does not allow the unauthenticated local mode of POST /api/messages. ' +
          'Set MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId from the Azure Bot registration.'
      : null;
  }
  if (!APP_TYPES.includes(settings.appType)) {
    return `MicrosoftAppType "${settings.appType}" is not one of ${APP_TYPES.join(', ')}.`;
  }
  if (settings.appType !== 'UserAssignedMSI' && !settings.appPassword) {
    return `MicrosoftAppPassword is empty; a ${settings.appType} bot needs the client secret of its app registration.`;
  }
  if (settings.appType !== 'MultiTenant' && !settings.tenantId) {
    return `MicrosoftAppTenantId is empty; a ${settings.appType} bot needs the tenant id of its app registration.`;
  }
  return null;
}

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
