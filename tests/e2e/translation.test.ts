import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';
import { startFakeLibreTranslate } from '../support/fake-libretranslate.ts';
import { WebChatClient, allText, buttonOf, cardOf, formOf } from '../support/web-chat-client.ts';

const inDays = (days: number) => DateTime.now().plus({ days }).toISODate()!;

describe('free text is machine-translated for the reader, and an outage never blocks a step', () => {
  let translator: Awaited<ReturnType<typeof startFakeLibreTranslate>>;
  let server: TestServer;
  let anna: WebChatClient;
  let jonas: WebChatClient;
  let requestId = '';

  beforeAll(async () => {
    translator = await startFakeLibreTranslate();
    server = await startServer({ TRANSLATOR_URL: translator.url, TRANSLATOR_RETRY_SECONDS: '0' });
    anna = await new WebChatClient(server.url).signIn('anna.kovacs');
    jonas = await new WebChatClient(server.url).signIn('jonas.weber');
    requestId = formOf(await anna.act('draft.area', { area: 'professional-qualifications' })).context!.requestId!;
    await anna.act('draft.authority', { requestId, country: 'DE', authority: 'de-lageso' });
    await anna.act('draft.details', { requestId, questions: [], subject: '', freeText: 'Kérjük, erősítsék meg az oklevelet.', deadline: inDays(20) });
    await anna.act('request.send', buttonOf(await anna.act('request.open', { requestId }), 'request.send').value!);
  });
  afterAll(async () => {
    await server?.stop();
    await translator?.close();
  });

  it('shows the German reader a marked translation, with the original one click away', async () => {
    const card = await jonas.act('request.open', { requestId });
    expect(allText(card)).toContain('[de] Kérjük, erősítsék meg az oklevelet.');
    expect(allText(card)).toContain('LibreTranslate');
    expect(translator.calls).toEqual([{ q: 'Kérjük, erősítsék meg az oklevelet.', source: 'hu', target: 'de' }]);
    const original = await jonas.act('request.original', buttonOf(card, 'request.original').value!);
    expect(allText(original)).toContain('Kérjük, erősítsék meg az oklevelet.');
    expect(allText(original)).not.toContain('[de]');
  });

  it('serves the same translation from the cache on the next view', async () => {
    await jonas.act('request.open', { requestId });
    expect(translator.calls).toHaveLength(1);
  });

  it('shows the original when the service is down, lets the workflow go on, and translates later', async () => {
    const accepted = await jonas.act('request.accept', buttonOf(await jonas.act('request.open', { requestId }), 'request.accept').value!);
    const form = formOf(await jonas.act('request.answer', buttonOf(accepted, 'request.answer').value!));
    await jonas.act('request.answer', { ...form.context, free: 'Das Diplom ist echt.' });

    translator.setDown(true);
    const during = await anna.act('request.open', { requestId });
    expect(allText(during)).toContain('Das Diplom ist echt.');
    expect(allText(during)).not.toContain('[hu]');
    const closed = await anna.act('request.close', buttonOf(during, 'request.close').value!);
    expect(cardOf(closed).badge!.text).toBe('Lezárva');

    translator.setDown(false);
    const after = await anna.act('request.open', { requestId });
    expect(allText(after)).toContain('[hu] Das Diplom ist echt.');
  });
});
