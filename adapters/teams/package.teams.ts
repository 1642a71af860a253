import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import AdmZip from 'adm-zip';
import { availableLanguages, readLanguage } from '../../src/i18n/locales.ts';

/** Teams reads a bare "pt" as Brazilian and "no" as nothing: our Portuguese is European, our Norwegian Bokmål. */
const TEAMS_LANGUAGE_TAGS: Record<string, string> = { pt: 'pt-pt', no: 'nb-no' };
import { colorIcon, outlineIcon } from './icons.teams.ts';

/**
 * `npm run teams:package`: the Teams app package (manifest, icons, translations) as a zip to
 * upload in Teams, filled from the environment. The manifest's texts come from
 * locales/<lang>/teams.json (`manifest.*`), English by default and every other language as a
 * Teams localization file.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
export const MANIFEST_TEMPLATE = path.join(HERE, 'manifest', 'manifest.json');
const LOCALIZATION_SCHEMA = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.Localization.schema.json';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMMANDS = ['help', 'new', 'inbox', 'language', 'onboarding', 'registers', 'training'];

export interface PackageResult {
  zipPath: string;
  manifest: Record<string, unknown>;
  /** Values that were defaulted and that an operator will want to set before publishing. */
  warnings: string[];
}

export class PackageError extends Error {}

function lookup(messages: Record<string, unknown>, key: string): string {
  const value = key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages);
  if (typeof value !== 'string') throw new PackageError(`locales: teams.${key} is missing`);
  return value;
}

/** Replaces ${{NAME}} placeholders; a string that is a placeholder alone may become a non-string value. */
function fill(node: unknown, values: Record<string, unknown>, text: (key: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => fill(n, values, text));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, values, text)]));
  if (typeof node !== 'string') return node;
  const whole = /^\$\{\{([A-Z_]+)\}\}$/.exec(node);
  if (whole && typeof values[whole[1]!] !== 'string') return values[whole[1]!];
  return node.replace(/\$\{\{(TEXT:)?([A-Za-z_.]+)\}\}/g, (_m, isText: string | undefined, name: string) => {
    if (isText) return text(name);
    const value = values[name];
    if (typeof value !== 'string') throw new PackageError(`manifest template: no value for \${{${name}}}`);
    return value;
  });
}

/** One language's Teams localization file: the same texts as the manifest, in that language. */
function localization(messages: Record<string, unknown>, appName: string): Record<string, string> {
  const t = (key: string) => lookup(messages, key);
  const out: Record<string, string> = {
    $schema: LOCALIZATION_SCHEMA,
    'name.short': appName,
    'name.full': t('manifest.nameFull'),
    'description.short': t('manifest.descriptionShort'),
    'description.full': t('manifest.descriptionFull'),
  };
  COMMANDS.forEach((c, i) => {
    out[`bots[0].commandLists[0].commands[${i}].description`] = t(`manifest.command.${c}`);
  });
  return out;
}

/** Builds the zip from the environment into `outDir`. */
export function buildTeamsPackage(env: NodeJS.ProcessEnv, outDir = path.join(ROOT, 'dist')): PackageResult {
  const warnings: string[] = [];
  const botId = (env.TEAMS_BOT_ID || env.MicrosoftAppId || '').trim();
  if (!botId) throw new PackageError('set TEAMS_BOT_ID (or MicrosoftAppId) to the Microsoft App ID of the Azure Bot');
  if (!GUID.test(botId)) throw new PackageError(`the bot id "${botId}" is not a GUID; copy the Microsoft App ID from the Azure Bot's Configuration page`);
  const appId = (env.TEAMS_APP_ID || botId).trim();
  if (!GUID.test(appId)) throw new PackageError(`TEAMS_APP_ID "${appId}" is not a GUID`);
  const appName = (env.TEAMS_APP_NAME || 'imi-bot').trim();
  if (appName.length > 30) throw new PackageError(`TEAMS_APP_NAME "${appName}" is longer than the 30 characters Teams allows`);
  let publicUrl = (env.TEAMS_PUBLIC_URL || '').trim().replace(/\/+$/, '');
  if (!publicUrl) {
    publicUrl = 'https://www.example.org';
    warnings.push('TEAMS_PUBLIC_URL is not set: the developer, privacy and terms links point to https://www.example.org');
  }
  let host: string;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'https:') throw new Error('not https');
    host = url.host;
  } catch {
    throw new PackageError(`TEAMS_PUBLIC_URL "${publicUrl}" must be an https:// address, e.g. https://imi-bot.example.gov`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const version = (env.TEAMS_APP_VERSION || pkg.version).trim();
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new PackageError(`TEAMS_APP_VERSION "${version}" must look like 1.2.3`);

  const english = readLanguage('en').teams as Record<string, unknown>;
  const others = availableLanguages().filter((l) => l !== 'en');
  const values: Record<string, unknown> = {
    APP_VERSION: version,
    TEAMS_APP_ID: appId,
    BOT_ID: botId,
    APP_NAME: appName,
    DEVELOPER_NAME: (env.TEAMS_DEVELOPER_NAME || appName).trim(),
    PUBLIC_URL: publicUrl,
    PUBLIC_HOST: host,
    ADDITIONAL_LANGUAGES: others.map((l) => ({ languageTag: TEAMS_LANGUAGE_TAGS[l] ?? l, file: `${l}.json` })),
  };
  const template = JSON.parse(fs.readFileSync(MANIFEST_TEMPLATE, 'utf8'));
  const manifest = fill(template, values, (key) => lookup(english, key)) as Record<string, unknown>;

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  zip.addFile('color.png', colorIcon());
  zip.addFile('outline.png', outlineIcon());
  for (const lang of others) {
    const messages = readLanguage(lang).teams as Record<string, unknown> | undefined;
    if (!messages) throw new PackageError(`locales/${lang}/teams.json is missing`);
    zip.addFile(`${lang}.json`, Buffer.from(JSON.stringify(localization(messages, appName), null, 2)));
  }
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `${appName.replace(/[^A-Za-z0-9._-]+/g, '-')}-teams.zip`);
  zip.writeZip(zipPath);
  return { zipPath, manifest, warnings };
}

/** Writes the icons next to the manifest template, for people who upload the folder with their own tools. */
export function writeIcons(dir = path.dirname(MANIFEST_TEMPLATE)): void {
  fs.writeFileSync(path.join(dir, 'color.png'), colorIcon());
  fs.writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const result = buildTeamsPackage(process.env);
    for (const w of result.warnings) console.warn(`warning: ${w}`);
    console.log(`Teams app package written to ${path.relative(process.cwd(), result.zipPath)}`);
  } catch (err) {
    console.error(`teams:package: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
}
