import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { channelMounts } from '../../src/mounts.ts';
import { createHttpApp, lazyMount, type Mount } from '../../src/server.ts';
import { channelStatePort } from '../../src/conversation/channel-state.port.ts';
import type { Core } from '../../src/wiring.ts';
import { testCore } from '../support/core.ts';

/** What start-up defers (src/server.ts lazyMount, src/mounts.ts): loaded on first use, and still honest in /healthz. */
describe('start-up: mounts loaded on their first request', () => {
  let core: Core;
  let server: http.Server;
  let base: string;
  const loads: string[] = [];
  const closed: string[] = [];

  /** A mount whose code "loads" by recording it; its route answers with the path it was asked. */
  const echo = (name: string): Mount => ({
    mount(app) {
      app.post('/echo', (req, res) => {
        res.json({ name, url: req.originalUrl });
      });
    },
    async close() {
      closed.push(name);
    },
  });

  const mounts = [
    lazyMount(['/echo'], async () => {
      loads.push('echo');
      return echo('echo');
    }),
    lazyMount(['/broken'], async () => {
      loads.push('broken');
      throw new Error('the channel SDK is missing');
    }),
  ];

  beforeAll(async () => {
    core = await testCore();
    server = http.createServer(createHttpApp(core, mounts));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    for (const m of mounts) await m.close?.();
    await core?.close();
  });

  it('load nothing until a request reaches their paths, and then once', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/elsewhere`, { method: 'POST' })).status).toBe(404);
    expect(loads).toEqual([]);

    const answers = await Promise.all(['/echo', '/ECHO', '/echo/'].map((p) => fetch(`${base}${p}`, { method: 'POST' })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await answers[0]!.json()).toEqual({ name: 'echo', url: '/echo' });
    expect(loads).toEqual(['echo']);
  });

  it('answer 500 when their code cannot load, and /healthz then says the server is unavailable', async () => {
    const res = await fetch(`${base}/broken`, { method: 'POST' });
    expect(res.status).toBe(500);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable' });
  });

  it('close what they loaded when the server stops', async () => {
    for (const m of mounts) await m.close?.();
    expect(closed).toEqual(['echo']);
  });

  it('check the Teams settings before anything loads, so a misconfigured server still refuses to start', async () => {
    const config = readConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'Bogus' });
    const conversation = { handle: () => Promise.reject(new Error('not called')), welcome: () => Promise.reject(new Error('not called')) };
    await expect(channelMounts({ config, conversation, channelState: channelStatePort(core.deps), i18n: core.i18n })).rejects.toThrow(
      /Teams channel: MicrosoftAppType "Bogus"/,
    );
  });
});
