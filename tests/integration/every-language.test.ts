import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { systemClock } from '../../src/app/ports/clock.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import type { ConversationPort, RenderedReply } from '../../src/conversation/types.ts';
import { availableLanguages, readLanguage } from '../../src/i18n/locales.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { testCore } from '../support/core.ts';
import { assertNoRawKeys } from '../support/web-chat-client.ts';

/** English sentences of the locale files: none of them may show up in another language's replies. */
const englishSentences = (() => {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (node && typeof node === 'object') Object.values(node).forEach(walk);
    else if (typeof node === 'string' && node.length > 30 && node.split(' ').length > 5) out.push(node.split('{{')[0]!.trim());
  };
  walk(readLanguage('en'));
  return out.filter((s) => s.length > 25);
})();

describe('a scripted conversation in every language', () => {
  let core: Awaited<ReturnType<typeof testCore>>;
  let conversation: ConversationPort;
  const say = (text: string) => conversation.handle({ channel: 'web', externalId: 'jonas.weber', text });
  const act = (id: string, values: Record<string, string> = {}) =>
    conversation.handle({ channel: 'web', externalId: 'jonas.weber', action: { id, values } });

  beforeAll(async () => {
    core = await testCore(systemClock);
    await loadDemo(core.deps, loadDemoData());
    conversation = createConversation({ app: core.deps, i18n: core.i18n });
    await say('help'); // the first reply also carries the onboarding checklist
  });
  afterAll(async () => {
    await core?.close();
  });

  it('covers the 24 official EU languages plus Icelandic and Norwegian', () => {
    expect(availableLanguages()).toEqual(
      ['bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'is', 'it', 'lt', 'lv', 'mt', 'nl', 'no', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv'],
    );
  });

  it.each(availableLanguages())('speaks %s throughout: no raw keys, no English left over', async (lang) => {
    const changed = await act('language.set', { language: lang });
    expect(changed.lang).toBe(lang);
    const replies: RenderedReply[] = [
      changed,
      await say('help'),
      await act('inbox'),
      await act('request.open', { requestId: 'IMI-2026-000003' }),
      await act('request.history', { requestId: 'IMI-2026-000003' }),
      await act('draft.new'),
      await act('request.accept', { requestId: 'IMI-2026-999999', version: '1' }),
    ];
    expect(replies[3]!.blocks.some((b) => b.kind === 'card' && b.ref?.requestId === 'IMI-2026-000003')).toBe(true);
    for (const reply of replies) {
      expect(reply.lang).toBe(lang);
      assertNoRawKeys(reply);
      if (lang === 'en') continue;
      const text = JSON.stringify(reply.blocks);
      const leftover = englishSentences.find((s) => text.includes(s));
      expect(leftover, `${lang}: English text in the reply`).toBeUndefined();
    }
  });
});
