import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A LibreTranslate-compatible server on 127.0.0.1 that "translates" by tagging text with the target language. */
export async function startFakeLibreTranslate() {
  const calls: { q: string; source: string; target: string }[] = [];
  let down = false;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (down) {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'maintenance' }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/translate') {
        res.writeHead(404).end();
        return;
      }
      const { q, source, target } = JSON.parse(body);
      calls.push({ q, source, target });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ translatedText: `[${target}] ${q}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    setDown(value: boolean) {
      down = value;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
