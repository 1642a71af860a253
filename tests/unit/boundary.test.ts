import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server.ts';

/*
 * The dependency rule of shared/DESIGN.md, checked on the source text: the domain imports
 * nothing of ours and no framework, driver or scheduler; use cases import the domain only;
 * adapters never reach the store or the use cases.
 */

/** Frameworks, drivers, schedulers and I/O modules the core must not know. */
const FORBIDDEN_PACKAGES = [
  'express',
  'botbuilder',
  '@microsoft/teams-ai',
  '@slack/bolt',
  'sqlite3',
  'knex',
  'pg',
  'node-cron',
  'i18next',
  'fs',
  'http',
];

/** Every module specifier a source file imports, re-exports, imports dynamically or requires. */
function importsOf(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!));
}

/** The package a specifier names, with the node: prefix and any subpath removed. */
function packageOf(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isForbiddenPackage = (specifier: string): boolean =>
  !specifier.startsWith('.') && FORBIDDEN_PACKAGES.includes(packageOf(specifier));

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|mjs|cjs|mts)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Where a relative import of a file points, relative to the repository root. */
const target = (file: string, specifier: string): string =>
  path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).split(path.sep).join('/');

const within = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);

interface Violation {
  file: string;
  specifier: string;
}

function violations(files: string[], bad: (file: string, specifier: string) => boolean): Violation[] {
  return files.flatMap((file) =>
    importsOf(fs.readFileSync(path.join(ROOT, file), 'utf8'))
      .filter((s) => bad(file, s))
      .map((specifier) => ({ file, specifier })),
  );
}

describe('the import detector', () => {
  it('finds every form of import', () => {
    const source = [
      "import express from 'express';",
      "import type { Knex } from 'knex';",
      "import {\n  a,\n  b,\n} from '../app/x.ts';",
      "export * from './y.ts';",
      "export { z } from 'node:fs';",
      "import 'node:http';",
      "const m = await import('pg');",
      "const c = require('node-cron');",
    ].join('\n');
    expect(importsOf(source).sort()).toEqual(['../app/x.ts', './y.ts', 'express', 'knex', 'node-cron', 'node:fs', 'node:http', 'pg'].sort());
  });

  it('tells frameworks and I/O modules from allowed packages', () => {
    for (const s of ['express', 'knex', 'pg', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'node:http', '@slack/bolt', '@microsoft/teams-ai', 'i18next', 'botbuilder', 'sqlite3', 'node-cron']) {
      expect(isForbiddenPackage(s), s).toBe(true);
    }
    for (const s of ['luxon', 'zod', 'pgp', 'express-x', 'node:path', 'https-proxy', './fs.ts', '@slack/web-api']) {
      expect(isForbiddenPackage(s), s).toBe(false);
    }
  });
});

describe('src/domain', () => {
  const files = sourceFiles('src/domain');

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it('imports no framework, driver, scheduler, i18n library, file system or HTTP', () => {
    expect(violations(files, (_f, s) => isForbiddenPackage(s))).toEqual([]);
  });

  it('imports nothing of ours outside src/domain', () => {
    expect(violations(files, (f, s) => s.startsWith('.') && !within(target(f, s), 'src/domain'))).toEqual([]);
  });
});

describe('src/app', () => {
  const files = sourceFiles('src/app');

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it('imports no framework, driver or I/O module', () => {
    expect(violations(files, (_f, s) => isForbiddenPackage(s))).toEqual([]);
  });

  it('imports only the domain and other use cases: not the store, the conversation layer or adapters', () => {
    expect(
      violations(files, (f, s) => s.startsWith('.') && !within(target(f, s), 'src/app') && !within(target(f, s), 'src/domain')),
    ).toEqual([]);
  });
});

describe('adapters', () => {
  const files = sourceFiles('adapters');

  it('never reach the store or the use cases', () => {
    const reaches = (f: string, s: string) =>
      s.startsWith('.') && (within(target(f, s), 'src/store') || within(target(f, s), 'src/app'));
    expect(violations(files, reaches)).toEqual([]);
  });
});
