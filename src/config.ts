/** The settings the process reads from its environment; names as in shared/DESIGN.md. */
export interface Config {
  port: number;
  databaseUrl: string;
  demo: boolean;
  production: boolean;
  webChat: boolean;
  /** The server's public https address, for links that Slack and Teams fetch themselves (chart images). */
  publicUrl: string | null;
  slack: { signingSecret: string; botToken: string; apiUrl: string } | null;
  /** openIdMetadataUrl: where inbound Bot Framework tokens' signing keys are published (botbuilder's default when empty). */
  teams: { appId: string; appPassword: string; appType: string; tenantId: string; openIdMetadataUrl: string };
  cron: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    port: Number(env.PORT ?? 3978),
    databaseUrl: env.DATABASE_URL || 'sqlite:data/imi.db',
    demo: env.IMI_DEMO !== '0',
    production,
    webChat: production ? env.WEB_CHAT === 'on' : env.WEB_CHAT !== 'off',
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null,
    slack:
      env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN
        ? { signingSecret: env.SLACK_SIGNING_SECRET, botToken: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL || 'https://slack.com/api/' }
        : null,
    teams: {
      appId: env.MicrosoftAppId ?? '',
      appPassword: env.MicrosoftAppPassword ?? '',
      appType: env.MicrosoftAppType || 'MultiTenant',
      tenantId: env.MicrosoftAppTenantId ?? '',
      openIdMetadataUrl: env.ToBotFromChannelOpenIdMetadataUrl ?? '',
    },
    cron: env.IMI_CRON !== '0',
  };
}

/**
 * What NODE_ENV=production cannot run without, as one sentence for the operator; null when
 * nothing is missing. Outside production every channel may run in its local, unauthenticated mode.
 */
export function productionProblem(config: Config, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!config.production) return null;
  if (config.webChat && (env.SESSION_SECRET ?? '').length < 32) {
    return 'WEB_CHAT=on in production needs SESSION_SECRET (at least 32 random characters) to sign the web chat session cookies.';
  }
  if (!config.teams.appId.trim()) {
    return 'MicrosoftAppId is empty, and production does not allow the unauthenticated local mode of POST /api/messages: set MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId.';
  }
  if (Boolean(env.SLACK_SIGNING_SECRET) !== Boolean(env.SLACK_BOT_TOKEN)) {
    return `Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN; only ${env.SLACK_SIGNING_SECRET ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'} is set.`;
  }
  return null;
}
