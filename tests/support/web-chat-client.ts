import type { Block, RenderedReply } from '../../src/conversation/types.ts';
import { readLanguage } from '../../src/i18n/locales.ts';

/** Every message key of the English locale, flattened ("bot.card.title"), to spot raw keys in replies. */
const KEYS: string[] = (() => {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    else out.push(prefix.replace(/_(zero|one|two|few|many|other)$/, ''));
  };
  walk(readLanguage('en'), '');
  return [...new Set(out)].filter((k) => k.split('.').length >= 3);
})();

/** Throws when a reply shows a message key instead of words, or an unfilled {{parameter}}. */
export function assertNoRawKeys(reply: RenderedReply): void {
  const text = JSON.stringify(reply.blocks);
  const raw = KEYS.find((k) => text.includes(`"${k}"`) || text.includes(` ${k}`) || text.includes(`${k} `));
  if (raw) throw new Error(`reply shows the raw key ${raw}: ${text.slice(0, 500)}`);
  if (/\{\{\s*\w+\s*\}\}/.test(text)) throw new Error(`reply has an unfilled parameter: ${text.slice(0, 500)}`);
}

type Values = Record<string, string | string[]>;

/** A signed-in user of the web chat, talking HTTP to the running server like the page does. */
export class WebChatClient {
  private cookie = '';
  constructor(private readonly baseUrl: string, private readonly acceptLanguage = 'en') {}

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/api/chat${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        'accept-language': this.acceptLanguage,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  async signIn(login: string): Promise<this> {
    const res = await this.call('POST', '/session', { login });
    if (res.status !== 200) throw new Error(`sign-in as ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this;
  }

  raw(method: string, path: string, body?: unknown) {
    return this.call(method, path, body);
  }

  async say(text: string): Promise<RenderedReply> {
    return this.expectOk(await this.call('POST', '/turn', { text }));
  }

  async act(id: string, values: Values = {}): Promise<RenderedReply> {
    return this.expectOk(await this.call('POST', '/turn', { action: { id, values } }));
  }

  async feed(after = 0): Promise<{ items: { id: number; reply: RenderedReply }[]; last: number }> {
    const res = await this.call('GET', `/feed?after=${after}`);
    if (res.status !== 200) throw new Error(`feed failed: ${res.status}`);
    return res.body;
  }

  private expectOk(res: { status: number; body: any }): RenderedReply {
    if (res.status !== 200) throw new Error(`turn failed: ${res.status} ${JSON.stringify(res.body)}`);
    assertNoRawKeys(res.body as RenderedReply);
    return res.body as RenderedReply;
  }
}

export const formOf = (reply: RenderedReply): Extract<Block<string>, { kind: 'form' }> => {
  const form = reply.blocks.find((b) => b.kind === 'form');
  if (!form || form.kind !== 'form') throw new Error(`no form in reply: ${JSON.stringify(reply)}`);
  return form;
};

export const cardOf = (reply: RenderedReply): Extract<Block<string>, { kind: 'card' }> => {
  const card = reply.blocks.find((b) => b.kind === 'card' && b.ref);
  if (!card || card.kind !== 'card') throw new Error(`no request card in reply: ${JSON.stringify(reply)}`);
  return card;
};

/** Every string of a reply, for assertions on wording and language. */
export const allText = (reply: RenderedReply): string => JSON.stringify(reply.blocks);

export const buttonOf = (reply: RenderedReply, action: string) => {
  const card = cardOf(reply);
  const button = card.actions.find((a) => a.action === action);
  if (!button) throw new Error(`no ${action} button on card: ${JSON.stringify(card.actions.map((a) => a.action))}`);
  return button;
};
