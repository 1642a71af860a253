import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/server.ts';
import { testCore } from '../support/core.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('npm start', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers /healthz with status ok, the database engine and the latest migration', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'sqlite', migration: expect.stringMatching(/^\d{3}-[a-z-]+$/) });
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

/*
 * A spawned server cannot be made to lose its sqlite database from outside: it keeps the file
 * open, so removing the file or its folder (or chmod, as root) does not stop it answering.
 * Closing the store's connection pool is a real way for the database to stop answering, so the
 * health route is checked on the real express app, over HTTP, with that store.
 */
describe('/healthz when the database cannot answer', () => {
  it('answers 503 once the database connection is gone', async () => {
    const core = await testCore();
    const server = http.createServer(createHttpApp(core, []));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    try {
      expect((await fetch(url)).status).toBe(200);
      await core.close();
      const res = await fetch(url);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
