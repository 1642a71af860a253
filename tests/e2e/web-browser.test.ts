import { DateTime } from 'luxon';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLanguage } from '../../src/i18n/locales.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { ChatDesk, describeFindings, launchBrowser, newDesk, scriptErrors, seriousA11yProblems, snap } from '../support/browser.ts';

/**
 * The web chat in a real browser (Debian's Chromium): a request from Budapest to Berlin made by
 * clicking and typing only, the responder seeing it arrive live, and both palettes checked with axe.
 */

const inDays = (days: number) => DateTime.now().setZone('Europe/Budapest').plus({ days }).toISODate()!;
const say = (lang: string, key: string): string =>
  key.split('.').reduce<any>((node, k) => node?.[k], readLanguage(lang)) ?? (() => { throw new Error(`no ${lang} ${key}`); })();

/** Frames of a server-sent event stream, read over plain HTTP until `enough` says so. */
async function readEvents(url: string, headers: Record<string, string>, enough: (events: { id: string; event: string; data: string }[]) => boolean) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 20_000);
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: { id: string; event: string; data: string }[] = [];
  if (res.status !== 200 || !res.body) {
    clearTimeout(timer);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json().catch(() => null), events };
  }
  const reader = res.body.getReader();
  let buffer = '';
  try {
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => chunk.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
        if (chunk.includes('event: ')) events.push({ id: field('id'), event: field('event'), data: field('data') });
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { status: res.status, type: res.headers.get('content-type'), body: null, events };
}

describe('web chat in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let anna: ChatDesk; // requester, Hungarian, light palette
  let jonas: ChatDesk; // responder, German, dark palette
  const contexts: BrowserContext[] = [];
  let requestId = '';

  beforeAll(async () => {
    // The outbox worker runs in the server (every second here), as in production.
    [server, browser] = await Promise.all([startServer({ IMI_CRON: '1', IMI_DELIVERY_CRON: '* * * * * *' }), launchBrowser()]);
    const a = await newDesk(browser, { colorScheme: 'light' });
    const j = await newDesk(browser, { colorScheme: 'dark', locale: 'de-DE' });
    contexts.push(a.context, j.context);
    anna = new ChatDesk(a.page, server.url);
    jonas = new ChatDesk(j.page, server.url);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  it('signs both people in, and the sign-in screen passes axe in light and dark', async () => {
    await Promise.all([anna.open(), jonas.open()]);
    for (const desk of [anna, jonas]) {
      expect(describeFindings('sign-in', await seriousA11yProblems(desk.page))).toBe('');
    }
    await snap(anna.page, '01-sign-in-light');
    await snap(jonas.page, '01-sign-in-dark');
    await Promise.all([anna.signIn('anna.kovacs'), jonas.signIn('jonas.weber')]);
    // The page follows each person's language: Hungarian for Anna, German for Jonas.
    expect(await anna.page.getAttribute('html', 'lang')).toBe('hu');
    expect(await jonas.page.getAttribute('html', 'lang')).toBe('de');
    expect(await anna.page.textContent('#q-new')).toBe(say('hu', 'web.page.newRequest'));
    await snap(anna.page, '02-welcome');
  });

  it('lets the requester write a request with keyboard and mouse only, focus following each step', async () => {
    const { page } = anna;
    const areaStep = await anna.reply(() => page.click('#q-new'));
    const area = areaStep.locator('select[name="area"]');
    expect(await anna.isFocused(area)).toBe(true);
    // Steps 1–3 by keyboard alone: choose with the arrow keys, Tab to "Next", Enter.
    await page.keyboard.press('ArrowDown');
    expect(await area.inputValue()).toBe('professional-qualifications');
    const countryStep = await anna.reply(async () => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    });
    const country = countryStep.locator('select[name="country"]');
    expect(await anna.isFocused(country)).toBe(true);
    const countries = await country.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (let i = 0; i < countries.indexOf('DE'); i++) await page.keyboard.press('ArrowDown');
    expect(await country.inputValue()).toBe('DE');
    const authorityStep = await anna.reply(async () => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    });
    const authority = authorityStep.locator('select[name="authority"]');
    expect(await anna.isFocused(authority)).toBe(true);
    const authorities = await authority.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (let i = 0; i < authorities.indexOf('de-lageso'); i++) await page.keyboard.press('ArrowDown');
    const details = await anna.reply(async () => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    });

    // Step 4: tick two questions, type the texts, pick the date; the counter follows the typing.
    const boxes = details.locator('input[type="checkbox"][name="questions"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await details.locator('input[name="subject"]').click();
    await page.keyboard.type('Dr. Minta Béla (fiktív)');
    const freeText = 'Kérjük, erősítsék meg az oklevél hitelességét.';
    await details.locator('textarea[name="freeText"]').click();
    await page.keyboard.type(freeText);
    const textarea = details.locator('textarea[name="freeText"]');
    const counter = details.locator('.field', { has: page.locator('textarea[name="freeText"]') }).locator('.counter');
    expect(await counter.textContent()).toContain(`${freeText.length} / 10`);
    // The count is part of the field's description for screen readers.
    expect((await textarea.getAttribute('aria-describedby'))!.split(' ')).toContain(await counter.getAttribute('id'));
    await details.locator('input[name="deadline"]').fill(inDays(20));
    expect(await details.locator('input[name="deadline"]').getAttribute('type')).toBe('date');
    expect(describeFindings('form', await seriousA11yProblems(page))).toBe('');
    await snap(page, '03-request-form', details);

    const review = await anna.reply(() => details.locator('button[type="submit"]').click());
    const card = review.locator('.card[data-request]');
    requestId = (await card.getAttribute('data-request'))!;
    expect(requestId).toMatch(/^IMI-\d{4}-\d{6}$/);
    expect(await card.textContent()).toContain(freeText);
    await snap(page, '04-review-card', card);

    const sent = await anna.reply(() => card.locator('button[data-action="request.send"]').click());
    expect(await sent.locator('.card .badge').textContent()).toBe(say('hu', 'bot.status.sent'));
    // The card acted on is frozen and says a newer one follows.
    expect(await card.locator('.outdated').count()).toBe(1);
    expect(await card.locator('button[data-action="request.send"]').isDisabled()).toBe(true);
    expect(describeFindings('chat with a request card', await seriousA11yProblems(page))).toBe('');
    await snap(page, '05-request-sent');
  });

  it('shows the responder the new request live, without a reload', async () => {
    const { page } = jonas;
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const note = jonas.notifications().filter({ hasText: requestId });
    await note.waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await note.getAttribute('lang')).toBe('de');
    // Announced, not grabbed: the log is a polite live region and the focus stays where it was.
    expect(await page.getAttribute('#log', 'aria-live')).toBe('polite');
    expect(await jonas.isFocused(page.locator('#message'))).toBe(true);
    await snap(page, '06-notification-live');
  });

  it('lets the responder propose a deadline (by keyboard), accept and answer', async () => {
    const { page } = jonas;
    const note = jonas.notifications().filter({ hasText: requestId });
    const opened = await jonas.reply(() => note.locator('button[data-action="request.open"]').click());
    expect(await opened.locator('.card .badge').textContent()).toBe(say('de', 'bot.status.sent'));

    const form = await jonas.reply(() => opened.locator('button[data-action="request.propose_deadline"]').click());
    expect(await jonas.isFocused(form.locator('input[name="date"]'))).toBe(true);
    await form.locator('input[name="date"]').fill(inDays(30));
    // Tab walks through the date's day, month and year first (Chromium's own behaviour), then on.
    const reason = form.locator('textarea[name="reason"]');
    for (let i = 0; i < 6 && !(await jonas.isFocused(reason)); i++) await page.keyboard.press('Tab');
    expect(await jonas.isFocused(reason)).toBe(true);
    await page.keyboard.type('Archivakten müssen angefordert werden.');
    expect(describeFindings('deadline form, dark', await seriousA11yProblems(page))).toBe('');
    await snap(page, '07-propose-deadline', form);
    const proposed = await jonas.reply(async () => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    });
    expect(await proposed.textContent()).toContain('Archivakten');

    const accepted = await jonas.reply(() => proposed.locator('button[data-action="request.accept"]').click());
    expect(await accepted.locator('.card .badge').textContent()).toBe(say('de', 'bot.status.accepted'));
    await snap(page, '08-accepted', accepted.locator('.card'));

    const answerForm = await jonas.reply(() => accepted.locator('button[data-action="request.answer"]').click());
    const boxes = answerForm.locator('textarea');
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).fill(`Antwort ${i + 1}: Ja, bestätigt.`);
    await snap(page, '09-answer-form', answerForm);
    const answered = await jonas.reply(() => answerForm.locator('button[type="submit"]').click());
    expect(await answered.locator('.card .badge').textContent()).toBe(say('de', 'bot.status.answered'));
    expect(describeFindings('chat, dark', await seriousA11yProblems(page))).toBe('');
    await snap(page, '10-answered');
  });

  it('lets the requester read the answer and close the request', async () => {
    const { page } = anna;
    // The answer reaches Anna live as well.
    await anna.notifications().filter({ hasText: requestId }).last().waitFor({ timeout: 30_000 });
    const view = await anna.say(requestId);
    expect(await view.textContent()).toContain('Antwort 1: Ja, bestätigt.');
    const closed = await anna.reply(() => view.locator('button[data-action="request.close"]').click());
    expect(await closed.locator('.card .badge').textContent()).toBe(say('hu', 'bot.status.closed'));
    await snap(page, '11-closed', closed.locator('.card'));
  });

  it('shows the inbox as rows with status badges and days left, and it passes axe in both palettes', async () => {
    const { page } = anna;
    const inbox = await anna.reply(() => page.click('#q-inbox'));
    const rows = inbox.locator('ul.rows > li');
    expect(await rows.count()).toBeGreaterThan(0);
    // Each row says its status in a badge and its deadline in words, not by colour alone.
    const first = rows.first();
    expect(await first.locator('.badge').count()).toBe(1);
    expect(await first.locator('.marker svg').count()).toBe(1);
    expect((await first.locator('.detail').textContent())!.length).toBeGreaterThan(5);
    expect(describeFindings('inbox', await seriousA11yProblems(page))).toBe('');
    await snap(page, '12-inbox');
    await jonas.reply(() => jonas.page.click('#q-inbox'));
    expect(describeFindings('inbox, dark', await seriousA11yProblems(jonas.page))).toBe('');
    await snap(jonas.page, '12-inbox-dark');
  });

  it('switches language from the header; the request card in en, hu, de and fr', async () => {
    const { page } = anna;
    const names = await page.locator('#lang option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(Object.fromEntries(names)).toMatchObject({ de: 'Deutsch', en: 'English', fr: 'Français', hu: 'Magyar' });
    for (const lang of ['en', 'hu', 'de', 'fr']) {
      const changed = await anna.reply(() => page.selectOption('#lang', lang));
      expect(await changed.getAttribute('lang')).toBe(lang);
      await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
      expect(await page.textContent('#q-inbox')).toBe(say(lang, 'web.page.inbox'));
      const card = (await anna.say(requestId)).locator('.card');
      expect(await card.locator('.badge').textContent()).toBe(say(lang, 'bot.status.closed'));
      await snap(page, `card-${lang}`, card);
    }
    expect(scriptErrors(anna.page)).toEqual([]);
    expect(scriptErrors(jonas.page)).toEqual([]);
  });

  it('streams the feed as server-sent events that resume at Last-Event-ID, with /feed as the fallback', async () => {
    const signIn = await fetch(`${server.url}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'anna.kovacs' }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const url = `${server.url}/api/chat/events`;

    const fromStart = await readEvents(url, { cookie, 'last-event-id': '0' }, (e) => e.filter((x) => x.event === 'notification').length >= 2);
    expect(fromStart.type).toMatch(/^text\/event-stream/);
    expect(fromStart.events[0]).toMatchObject({ event: 'ready', id: '0' });
    const [one, two] = fromStart.events.filter((e) => e.event === 'notification');
    expect(Number(two!.id)).toBeGreaterThan(Number(one!.id));
    expect(JSON.parse(one!.data)).toMatchObject({ id: Number(one!.id), at: expect.any(String), reply: { blocks: expect.any(Array) } });

    // A reconnect with the last id it saw gets what came after, and nothing twice.
    const resumed = await readEvents(url, { cookie, 'last-event-id': one!.id }, (e) => e.some((x) => x.event === 'notification'));
    expect(resumed.events[0]).toMatchObject({ event: 'ready', id: one!.id });
    expect(resumed.events.find((e) => e.event === 'notification')!.id).toBe(two!.id);

    const feed = await (await fetch(`${server.url}/api/chat/feed?after=0`, { headers: { cookie } })).json();
    expect(feed.items.slice(0, 2).map((i: { id: number }) => String(i.id))).toEqual([one!.id, two!.id]);

    const stranger = await readEvents(url, {}, () => true);
    expect(stranger.status).toBe(401);
    expect(stranger.body).toHaveProperty('error');
    const malformed = await readEvents(url, { cookie, 'last-event-id': 'yesterday' }, () => true);
    expect(malformed.status).toBe(400);
  });
});
