/** The settings the process reads from its environment; names as in shared/DESIGN.md. */
export interface Config {
  port: number;
  databaseUrl: string;
  demo: boolean;
  production: boolean;
  webChat: boolean;
  slack: { signingSecret: string; botToken: string; apiUrl: string } | null;
  teams: { appId: string; appPassword: string; appType: string; tenantId: string };
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
    slack:
      env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN
        ? { signingSecret: env.SLACK_SIGNING_SECRET, botToken: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL || 'https://slack.com/api/' }
        : null,
    teams: {
      appId: env.MicrosoftAppId ?? '',
      appPassword: env.MicrosoftAppPassword ?? '',
      appType: env.MicrosoftAppType || 'MultiTenant',
      tenantId: env.MicrosoftAppTenantId ?? '',
    },
    cron: env.IMI_CRON !== '0',
  };
}
