import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webChatMount } from '../../adapters/web/web-chat.ts';
import { readConfig } from '../../src/config.ts';
import { channelStatePort } from '../../src/conversation/channel-state.port.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import { webChatPort } from '../../src/conversation/web-chat.port.ts';
import { createHttpApp } from '../../src/server.ts';
import { testCore } from '../support/core.ts';
import { ROOT, startServer, type TestServer } from '../support/server.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';

const PUBLIC = path.join(ROOT, 'adapters/web/public');
const SECRET = 'a-long-random-session-secret-for-the-test-0123456789';
const TEAMS = { MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' };

/** Runs `npm start`'s entry point to its exit (it is expected to refuse to start). */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const cspOf = (res: Response) =>
  Object.fromEntries((res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe('HTTP hardening of the local (non-production) server', () => {
  let core: Awaited<ReturnType<typeof testCore>>;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    core = await testCore();
    const config = readConfig({});
    const deps = { app: core.deps, i18n: core.i18n };
    const channels = { config, conversation: createConversation(deps), channelState: channelStatePort(core.deps), i18n: core.i18n };
    server = http.createServer(createHttpApp(core, [webChatMount(channels, webChatPort(deps, null))], { production: false }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await core?.close();
  });

  it('serves the web chat page with a CSP that allows only its own scripts, styles and calls', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(cspOf(res)).toMatchObject({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'connect-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'self'"],
    });
    expect(cspOf(res)['upgrade-insecure-requests']).toBeUndefined();
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('the page needs nothing the CSP forbids: no inline script or handler, every resource from this origin', async () => {
    const html = fs.readFileSync(path.join(PUBLIC, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/[^/]/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style\b/i);
    for (const ref of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      expect(ref.startsWith('/') || ref.startsWith('#') || ref.startsWith('data:'), ref).toBe(true);
      if (ref.startsWith('/')) expect((await fetch(`${url}${ref}`)).status, ref).toBe(200);
    }
    for (const file of fs.readdirSync(PUBLIC).filter((f) => f.endsWith('.js'))) {
      const source = fs.readFileSync(path.join(PUBLIC, file), 'utf8');
      expect(source, file).not.toMatch(/\beval\s*\(|new Function\s*\(|setTimeout\s*\(\s*['"`]|https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it('refuses a body larger than any route takes before reading it, on every route', async () => {
    for (const route of ['/api/chat/turn', '/api/messages', '/anything']) {
      const res = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1_100_000) });
      expect(res.status, route).toBe(413);
    }
  });
});

describe('production mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ NODE_ENV: 'production', WEB_CHAT: 'on', SESSION_SECRET: SECRET, ...TEAMS });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('marks the session cookie Secure (besides HttpOnly and SameSite=Strict) and sends HSTS', async () => {
    const res = await fetch(`${server.url}/api/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'anna.kovacs' }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Secure/);
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(cspOf(page)['upgrade-insecure-requests']).toEqual([]);
  });

  it('writes structured JSON logs without the secrets it was given', () => {
    const lines = server.output().split('\n').filter((l) => l.startsWith('{'));
    expect(lines.some((l) => JSON.parse(l).msg?.includes('listening on'))).toBe(true);
    expect(server.output()).not.toContain(SECRET);
    expect(server.output()).not.toContain(TEAMS.MicrosoftAppPassword);
  });

  it('refuses to start without the secrets production needs, in one line, with exit code 1', async () => {
    const cases = [
      [{ WEB_CHAT: 'on', ...TEAMS }, 'SESSION_SECRET'],
      [{ WEB_CHAT: 'off' }, 'MicrosoftAppId'],
    ] as const;
    await Promise.all(
      cases.map(async ([env, name]) => {
        const { code, stdout, stderr } = await runMain({ NODE_ENV: 'production', PORT: '0', IMI_CRON: '0', DATABASE_URL: tempDatabaseUrl(), ...env });
        expect(code, name).toBe(1);
        expect(stdout).toBe('');
        const lines = stderr.split('\n').filter(Boolean);
        expect(lines, stderr).toHaveLength(1);
        expect(lines[0]).toContain(name);
        expect(lines[0]).toContain('cannot start');
      }),
    );
  }, 180_000);
});
