import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishChart, type ChartSpec } from '../../src/app/coordinator/charts.ts';
import { chartsMount } from '../../src/charts/charts.http.ts';
import { chartSize } from '../../src/charts/scoreboard-chart.svg.ts';
import { createHttpApp } from '../../src/server.ts';
import type { Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';

/*
 * The chart behind the scoreboard: a real PNG drawn by resvg, served by the express app at an
 * unguessable link that stops working after a day (the clock is the core's injected one).
 */

const START = new Date('2026-04-20T10:00:00.000Z');
const HOUR = 3_600_000;

function spec(rows: number, firstValue = 66.7): ChartSpec {
  return {
    title: 'Scoreboard: 1 Mar 2026 – 31 Mar 2026',
    subtitle: 'Vertical lines: targets and limits',
    columns: [
      { label: 'Accepted within 7 days', max: 100, marks: [80] },
      { label: 'Days to first answer', max: 30, marks: [16, 25] },
      { label: 'Answered on time', max: 100, marks: [80] },
    ],
    rows: Array.from({ length: rows }, (_, i) => ({
      label: `Authority ${i + 1} — Hivatal é ő ű`,
      cells: [
        { value: i === 0 ? firstValue : 90, text: `${i === 0 ? firstValue : 90}%`, light: i === 0 ? 'amber' : 'green' },
        { value: 14.7, text: '14.7', light: 'green' },
        { value: null, text: '–', light: 'none' },
      ],
    })),
    legend: [
      { light: 'green', text: '✔ good' },
      { light: 'amber', text: '⚠ needs attention' },
      { light: 'red', text: '✖ poor' },
      { light: 'none', text: '– no data yet' },
    ],
  };
}

interface DecodedPng {
  width: number;
  height: number;
  pixels: Buffer;
}

/** Reads a PNG the way a viewer would: signature, chunk CRCs, IHDR, and the inflated image data. */
function decodePng(png: Buffer): DecodedPng {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let header: { width: number; height: number; depth: number; colour: number } | null = null;
  const data: Buffer[] = [];
  for (;;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(zlib.crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8]!, colour: body[9]! };
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  expect(offset).toBe(png.length);
  if (!header) throw new Error('no IHDR chunk');
  expect(header.depth).toBe(8);
  const channels = { 2: 3, 6: 4 }[header.colour as 2 | 6];
  expect(channels).toBeDefined();
  const pixels = zlib.inflateSync(Buffer.concat(data));
  // Each scanline: one filter byte, then the pixels.
  expect(pixels.length).toBe(header.height * (1 + header.width * channels!));
  return { width: header.width, height: header.height, pixels };
}

describe('scoreboard charts', () => {
  let core: Core;
  let clock: ReturnType<typeof settableClock>;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    clock = settableClock(START);
    core = await testCore(clock);
    server = http.createServer(createHttpApp(core, [chartsMount(core)]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await core?.close();
  });

  const fetchPng = async (path: string): Promise<Buffer> => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    return Buffer.from(await res.arrayBuffer());
  };

  it('serves a PNG that decodes, with the size the rows call for', async () => {
    for (const rows of [1, 6]) {
      const chart = await publishChart(core.deps, spec(rows));
      expect(chart.path).toMatch(/^\/charts\/[A-Za-z0-9_-]{32}\.png$/);
      const png = decodePng(await fetchPng(chart.path));
      expect({ width: png.width, height: png.height }).toEqual(chartSize(rows));
    }
    expect(chartSize(6).height).toBeGreaterThan(chartSize(1).height);
  });

  it('draws the same data the same way, and different data differently', async () => {
    const a = decodePng(await fetchPng((await publishChart(core.deps, spec(3, 66.7))).path));
    const same = decodePng(await fetchPng((await publishChart(core.deps, spec(3, 66.7))).path));
    const other = decodePng(await fetchPng((await publishChart(core.deps, spec(3, 20))).path));
    expect(same.pixels.equals(a.pixels)).toBe(true);
    expect(other.pixels.equals(a.pixels)).toBe(false);
  });

  it('gives every chart its own unguessable link', async () => {
    const links = new Set<string>();
    for (let i = 0; i < 20; i++) links.add((await publishChart(core.deps, spec(1))).token);
    expect(links.size).toBe(20);
  });

  it('stops serving a chart after 24 hours: 404, also when it was drawn before', async () => {
    clock.set(START);
    const chart = await publishChart(core.deps, spec(2));
    expect(new Date(chart.expiresAt).getTime() - START.getTime()).toBe(24 * HOUR);
    await fetchPng(chart.path);
    clock.set(new Date(START.getTime() + 24 * HOUR - 1000));
    await fetchPng(chart.path);
    clock.set(new Date(START.getTime() + 24 * HOUR));
    const expired = await fetch(`${base}${chart.path}`);
    expect(expired.status).toBe(404);
    expect(expired.headers.get('content-type') ?? '').not.toContain('image/png');
    clock.set(START);
  });

  it('answers 404 for unknown and malformed links', async () => {
    for (const path of ['/charts/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.png', '/charts/short.png', '/charts/..%2F..%2Fetc%2Fpasswd', '/charts/']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });
});
