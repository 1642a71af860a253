import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';

describe('npm start', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers /healthz with status ok', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('loads the demo dataset into an empty database and says where it listens', () => {
    expect(server.output()).toMatch(/loaded the demo dataset \(\d+ authorities/);
    expect(server.output()).toContain(`http://localhost:${server.port}`);
  });

  it('stops cleanly on SIGTERM', async () => {
    await server.stop();
    expect(server.process.exitCode).toBe(0);
  });
});
