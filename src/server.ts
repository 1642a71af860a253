import http from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { bodySizeCap, errorHandler, secureCookies, securityHeaders } from './http-security.ts';
import type { Core } from './wiring.ts';

/** A piece of the HTTP surface (a channel, the web chat) that the composition root mounts. */
export interface Mount {
  mount(app: Express): void;
  /** Stops background work the mount started. */
  close?(): Promise<void>;
  /** Why the mount cannot serve (its code failed to load); /healthz then reports the server unavailable. */
  problem?(): string | null;
}

/**
 * A mount whose code is imported on the first request to one of its paths. A channel SDK that
 * takes a second or more to import (botbuilder, teams-ai) then neither delays start-up nor costs
 * anything in a server that never hears from that channel; the first request waits for the load.
 * Settings are checked before, by the caller: a misconfigured server must still refuse to start.
 */
export function lazyMount(paths: string[], load: () => Promise<Mount>): Mount {
  let loading: Promise<{ mount: Mount; router: express.Router }> | null = null;
  let failure: string | null = null;
  const loaded = () =>
    (loading ??= load().then(
      (mount) => {
        const router = express.Router();
        // A mount only adds routes and middleware, which a Router takes as the app does.
        mount.mount(router as unknown as Express);
        return { mount, router };
      },
      (err: unknown) => {
        failure = err instanceof Error ? err.message : String(err);
        throw err;
      },
    ));
  // Case-insensitive and with or without a trailing slash, as express matches the routes themselves.
  const wanted = paths.map((p) => p.toLowerCase());
  const ours = (path: string) => wanted.some((p) => path.toLowerCase() === p || path.toLowerCase().startsWith(`${p}/`));
  return {
    mount(app) {
      app.use((req, res, next) => {
        if (!ours(req.path)) return next();
        loaded().then(({ router }) => router(req, res, next), next);
      });
    },
    problem: () => (failure === null ? null : `its code failed to load: ${failure}`),
    async close() {
      const done = await loading?.catch(() => null);
      await done?.mount.close?.();
    },
  };
}

/** How the app hardens its responses; production adds HSTS and Secure cookies. */
export interface HttpOptions {
  production?: boolean;
  log?: Logger;
}

/** The express app: security headers, health, then every channel's routes. */
export function createHttpApp(core: Core, mounts: Mount[], options: HttpOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  const production = options.production ?? false;
  app.use(securityHeaders(production), secureCookies(production), bodySizeCap());
  app.get('/healthz', async (_req, res) => {
    // A channel whose code failed to load cannot serve, whatever the database says.
    if (mounts.some((m) => m.problem?.())) {
      res.status(503).json({ status: 'unavailable' });
      return;
    }
    try {
      // Which engine and schema this instance sees, so a rollout can check every instance migrated.
      const { engine, migration } = await core.deps.store.status();
      res.json({ status: 'ok', database: engine, migration });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  for (const m of mounts) m.mount(app);
  app.use(errorHandler(options.log ?? createLogger()));
  return app;
}

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stops taking connections, lets in-flight requests finish, then closes mounts and the database. */
  stop(): Promise<void>;
}

export async function startServer(core: Core, config: Config, mounts: Mount[], log?: Logger): Promise<RunningServer> {
  const app = createHttpApp(core, mounts, { production: config.production, log });
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
