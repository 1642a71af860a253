import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { availableLanguages } from '../../src/i18n/locales.ts';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, MANIFEST_TEMPLATE, PackageError } from '../../adapters/teams/package.teams.ts';
import { crc32 } from '../../adapters/teams/icons.teams.ts';

const BOT = '6e0bbf3a-0000-4c4a-9f57-2f3e1a1b2c3d';
const outDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));

/** Decodes a PNG enough to check it: chunk CRCs, size, colour type, and that its pixels inflate to the right length. */
function readPng(buf: Buffer) {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  const chunks: { type: string; data: Buffer }[] = [];
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('ascii', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    expect(buf.readUInt32BE(at + 8 + length)).toBe(crc32(buf.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const pixels = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  expect(pixels.length).toBe((width * 4 + 1) * height);
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const alpha = (x: number, y: number) => pixels[y * (width * 4 + 1) + 1 + x * 4 + 3]!;
  const rgb = (x: number, y: number) => [...pixels.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 3)];
  return { width, height, colourType: ihdr[9], alpha, rgb };
}

describe('npm run teams:package', () => {
  it('builds a zip with the filled manifest, both icons and a localization file per language', () => {
    const result = buildTeamsPackage({ MicrosoftAppId: BOT, TEAMS_APP_NAME: 'IMI Assistent', TEAMS_PUBLIC_URL: 'https://imi.example.gov/' }, outDir());
    expect(path.basename(result.zipPath)).toBe('IMI-Assistent-teams.zip');
    const zip = new AdmZip(result.zipPath);
    const others = availableLanguages().filter((l) => l !== 'en');
    expect(zip.getEntries().map((e) => e.entryName).sort()).toEqual(['color.png', ...others.map((l) => `${l}.json`), 'manifest.json', 'outline.png'].sort());
    const manifest = JSON.parse(zip.readAsText('manifest.json'));
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest).toMatchObject({
      manifestVersion: '1.17',
      id: BOT,
      version: '0.1.0',
      name: { short: 'IMI Assistent', full: expect.stringContaining('imi-bot') },
      developer: { websiteUrl: 'https://imi.example.gov', privacyUrl: 'https://imi.example.gov' },
      icons: { color: 'color.png', outline: 'outline.png' },
      validDomains: ['imi.example.gov'],
      localizationInfo: {
        defaultLanguageTag: 'en',
        additionalLanguages: expect.arrayContaining([
          { languageTag: 'de', file: 'de.json' },
          { languageTag: 'fr', file: 'fr.json' },
          { languageTag: 'hu', file: 'hu.json' },
          ...(others.includes('pt') ? [{ languageTag: 'pt-pt', file: 'pt.json' }] : []),
        ]),
      },
      bots: [{ botId: BOT, scopes: ['personal'] }],
    });
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual([
      'help', 'new', 'inbox', 'language', 'onboarding', 'registers', 'training',
    ]);
    expect(result.warnings).toEqual([]);

    const hu = JSON.parse(zip.readAsText('hu.json'));
    expect(hu['name.short']).toBe('IMI Assistent');
    expect(hu['description.short']).toContain('IMI');
    expect(hu['bots[0].commandLists[0].commands[6].description']).toBe('Gyakorlás fiktív kérésekkel');
    expect(Object.keys(hu).sort()).toEqual(Object.keys(JSON.parse(zip.readAsText('fr.json'))).sort());
  });

  it('draws a 192×192 colour icon and a 32×32 white-on-transparent outline icon', () => {
    const zip = new AdmZip(buildTeamsPackage({ TEAMS_BOT_ID: BOT }, outDir()).zipPath);
    const color = readPng(zip.readFile('color.png')!);
    expect([color.width, color.height, color.colourType]).toEqual([192, 192, 6]);
    expect(color.alpha(0, 0)).toBe(255);
    const outline = readPng(zip.readFile('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.alpha(0, 0)).toBe(0);
    expect(outline.alpha(16, 16)).toBe(0);
    // The top dot of the ring, opaque and white.
    expect(outline.alpha(16, 5)).toBe(255);
    expect(outline.rgb(16, 5)).toEqual([255, 255, 255]);
  });

  it('prefers TEAMS_BOT_ID, warns about defaults, and refuses what Teams would refuse', () => {
    const r = buildTeamsPackage({ TEAMS_BOT_ID: BOT, MicrosoftAppId: 'ignored' }, outDir());
    expect(r.manifest).toMatchObject({ id: BOT, bots: [{ botId: BOT }] });
    expect(r.warnings.join()).toContain('TEAMS_PUBLIC_URL');
    expect(() => buildTeamsPackage({}, outDir())).toThrow(PackageError);
    expect(() => buildTeamsPackage({ TEAMS_BOT_ID: 'my-bot' }, outDir())).toThrow(/GUID/);
    expect(() => buildTeamsPackage({ TEAMS_BOT_ID: BOT, TEAMS_PUBLIC_URL: 'http://plain.example' }, outDir())).toThrow(/https/);
    expect(() => buildTeamsPackage({ TEAMS_BOT_ID: BOT, TEAMS_APP_NAME: 'x'.repeat(31) }, outDir())).toThrow(/30/);
  });

  it('keeps the template free of literal texts: every description comes from the locales', () => {
    const template = fs.readFileSync(MANIFEST_TEMPLATE, 'utf8');
    const json = JSON.parse(template);
    expect(json.description.full).toMatch(/^\$\{\{TEXT:/);
    expect(json.bots[0].commandLists[0].commands.every((c: { description: string }) => c.description.startsWith('${{TEXT:'))).toBe(true);
  });
});
