/**
 * The Teams channel's settings and their checks, apart from the SDK: the composition root checks
 * them at start-up (a misconfigured server must not start) while botbuilder and teams-ai, which
 * take a second or more to import, load only when the first activity arrives.
 */

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

/** Where Bot Framework posts activities. */
export const MESSAGES_PATH = '/api/messages';

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

let warned = false;

/**
 * Tells the operator, once per process, that /api/messages accepts unauthenticated activities:
 * at start-up from the composition root, and again never when the channel itself loads later.
 */
export function warnIfLocalMode(settings: TeamsSettings): void {
  if (warned || !isLocalMode(settings)) return;
  warned = true;
  console.warn(
    `imi-bot: teams: MicrosoftAppId is empty, so ${MESSAGES_PATH} runs in local mode and accepts unauthenticated activities ` +
      '(Bot Framework Emulator and tests only; refused with NODE_ENV=production).',
  );
}
