import type { Express } from 'express';
import { openChart } from '../app/coordinator/charts.ts';
import type { AppDeps } from '../app/deps.ts';
import type { Mount } from '../server.ts';
import { scoreboardSvg } from './scoreboard-chart.svg.ts';

/** What the route answers, before express: a PNG, or a bare 404 that tells nothing about the token. */
export interface ChartResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

const FILE = /^([A-Za-z0-9_-]{32})\.png$/;

/** Drawn charts by token, so that Slack and Teams fetching one image twice draw it once. */
class PngCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly max: number) {}
  get(token: string): Buffer | undefined {
    return this.entries.get(token);
  }
  set(token: string, png: Buffer): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, png);
  }
}

/**
 * GET /charts/<token>.png. The token is checked against the database on every request, so an
 * expired chart is gone (404) even when its picture is still in the cache.
 */
export function chartHandler(deps: AppDeps, cacheSize = 64): (file: string) => Promise<ChartResponse> {
  const cache = new PngCache(cacheSize);
  return async (file): Promise<ChartResponse> => {
    const token = FILE.exec(file)?.[1];
    const chart = token ? await openChart(deps, token) : null;
    if (!token || !chart) return { status: 404, headers: { 'Cache-Control': 'no-store' }, body: null };
    let png = cache.get(token);
    if (!png) {
      // resvg (a native module) loads with the first chart, not with every server start.
      const { svgToPng } = await import('./png.resvg.ts');
      png = svgToPng(scoreboardSvg(chart.spec));
      cache.set(token, png);
    }
    return {
      status: 200,
      headers: {
        'Content-Type': 'image/png',
        // Private: the link is the key; no shared cache should keep a copy past its life.
        'Cache-Control': 'private, max-age=300',
        'X-Robots-Tag': 'noindex',
        // Slack and Teams load the picture from their own servers, not from our page.
        'Cross-Origin-Resource-Policy': 'cross-origin',
      },
      body: png,
    };
  };
}

/** The chart route, for the composition root to mount beside the channels. */
export function chartsMount(core: { deps: AppDeps }): Mount {
  const handle = chartHandler(core.deps);
  return {
    mount(app: Express) {
      app.get('/charts/:file', async (req, res, next) => {
        try {
          const r = await handle(String(req.params.file));
          res.status(r.status).set(r.headers);
          if (r.body) res.end(r.body);
          else res.end();
        } catch (err) {
          next(err);
        }
      });
    },
  };
}
