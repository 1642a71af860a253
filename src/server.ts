import http from 'node:http';
import express, { type Express } from 'express';
import type { Config } from './config.ts';
import type { Core } from './wiring.ts';

/** A piece of the HTTP surface (a channel, the web chat) that the composition root mounts. */
export interface Mount {
  mount(app: Express): void;
  /** Stops background work the mount started. */
  close?(): Promise<void>;
}

/** The express app: health, then every channel's routes. */
export function createHttpApp(core: Core, mounts: Mount[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    try {
      await core.deps.store.ping();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  for (const m of mounts) m.mount(app);
  return app;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stops taking connections, lets in-flight requests finish, then closes mounts and the database. */
  stop(): Promise<void>;
}

export async function startServer(core: Core, config: Config, mounts: Mount[]): Promise<RunningServer> {
  const app = createHttpApp(core, mounts);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopping: Promise<void> | null = null;
  return {
    server,
    port,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        for (const m of mounts) await m.close?.();
        await core.close();
      })();
      return stopping;
    },
  };
}
