import type { Translator } from '../../src/i18n/i18n.ts';
import type { SlackLabels } from './blocks.slack.ts';

/** The Slack-only words (locales/<lang>/slack.json) in one language. */
export function slackLabels(i18n: Translator, lang: string): SlackLabels {
  return {
    appName: i18n.t(lang, 'slack.appName'),
    openForm: i18n.t(lang, 'slack.openForm'),
    more: (count) => i18n.t(lang, 'slack.more', { count }),
    cancel: i18n.t(lang, 'slack.cancel'),
    close: i18n.t(lang, 'slack.close'),
    loading: i18n.t(lang, 'slack.loading'),
    homeTitle: i18n.t(lang, 'slack.homeTitle'),
  };
}

/** Where the adapter reports what an operator should know (auth failures, rejected requests). */
export interface SlackLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLog: SlackLog = {
  info: (m) => console.log(`imi-bot ${m}`),
  warn: (m) => console.warn(`imi-bot ${m}`),
  error: (m) => console.error(`imi-bot ${m}`),
};
