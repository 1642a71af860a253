import { addRegister } from '../../app/registers/add-register.ts';
import { hitOf, searchRegisters, type RegisterHit } from '../../app/registers/search-registers.ts';
import { suggestRegisters } from '../../app/registers/suggest-registers.ts';
import { foldAccents } from '../../domain/admin.ts';
import { COUNTRIES } from '../../domain/authority.ts';
import { EU_WIDE } from '../../domain/register.ts';
import { text, verbatim } from '../render.ts';
import type { Block, TextLike } from '../types.ts';
import { errorReply, reply, type Outcome, type TurnContext } from '../turn-context.ts';
import { actorOf, areaOptions, cancelButton, forbidden, formWithError, isCoordinator, isLocalAdmin, success, warning, type Form } from './admin-common.dialogue.ts';
import { many, one, type Values } from './values.ts';

/** The registers directory in chat: `registers <words>`, the search form, adding a register, suggestions before a request. */

const MAX_SHOWN = 10;

const countryText = (country: string): TextLike =>
  country === EU_WIDE ? text('admin.registers.euWide') : text(`domain.country.${country}`);

const hitItem = (hit: RegisterHit) => ({
  text: verbatim(hit.name),
  detail: text('admin.registers.itemDetail', {
    description: verbatim(hit.description),
    country: countryText(hit.entry.country),
    cost: text(hit.entry.free ? 'admin.registers.free' : 'admin.registers.charged'),
    url: verbatim(hit.entry.url),
  }),
});

function searchForm(ctx: TurnContext, value = ''): Form {
  return {
    kind: 'form',
    action: 'registers.search',
    title: text('admin.registers.title'),
    intro: text('admin.registers.searchPrompt'),
    fields: [{ name: 'query', label: text('admin.registers.words'), type: 'text', required: true, maxLength: 200, value }],
    submitLabel: text('admin.registers.search'),
  };
}

const mayAddRegisters = (ctx: TurnContext) => isLocalAdmin(ctx) || isCoordinator(ctx);

/** The directory's opening: what it is for, the search form, and for admins the way to add one. */
function openDirectory(ctx: TurnContext): Outcome {
  const blocks: Block[] = [{ kind: 'text', text: text('admin.registers.intro') }, searchForm(ctx)];
  if (mayAddRegisters(ctx)) {
    blocks.push({ kind: 'card', title: text('admin.registers.add'), fields: [], actions: [{ action: 'registers.add.form', label: text('admin.registers.add') }] });
  }
  return reply(...blocks);
}

/**
 * Country names in the words, in any language the assistant speaks ("Németország", "Allemagne"),
 * become the country code the search narrows by; the other words are searched as typed.
 */
function withCountryCodes(ctx: TurnContext, words: string): string {
  const codes = words.split(/\s+/).filter((w) => /^[A-Z]{2}$/.test(w));
  let rest = ` ${foldAccents(words.split(/\s+/).filter((w) => !codes.includes(w)).join(' ')).replace(/[^a-z0-9]+/g, ' ')} `;
  for (const code of COUNTRIES) {
    for (const lang of ctx.deps.i18n.languages) {
      const name = foldAccents(ctx.deps.i18n.t(lang, `domain.country.${code}`)).replace(/[^a-z0-9]+/g, ' ').trim();
      if (name && rest.includes(` ${name} `)) {
        rest = rest.replace(` ${name} `, ' ');
        codes.push(code);
      }
    }
  }
  return [rest.trim(), ...codes].filter(Boolean).join(' ');
}

/** Professions and kinds of register that users name in their own words; each has word lists per language in admin.json. */
const TERMS = ['doctor', 'dentist', 'nurse', 'pharmacist', 'midwife', 'lawyer', 'architect', 'company'] as const;

const MAX_VARIANTS = 12;

/**
 * The words with everyday profession names replaced by their English ones: every register has
 * an English description, so "Ärzte" or "médecins" also find the doctors' registers of countries
 * whose entries are not written in the user's language. Empty when no word is known.
 */
function englishVariants(ctx: TurnContext, folded: string): string[] {
  const vocabulary = new Map<string, string[]>();
  const wordsOf = (lang: string, term: string) =>
    ctx.deps.i18n.t(lang, `admin.registers.terms.${term}`).split('|').map((w) => foldAccents(w.trim())).filter(Boolean);
  for (const term of TERMS) {
    const english = wordsOf('en', term);
    for (const lang of ctx.deps.i18n.languages) for (const w of wordsOf(lang, term)) vocabulary.set(w, english);
  }
  const words = folded.split(' ').filter(Boolean);
  if (!words.some((w) => vocabulary.has(w))) return [];
  let variants: string[][] = [[]];
  for (const w of words) {
    const options = vocabulary.get(w) ?? [w];
    variants = variants.flatMap((v) => options.map((o) => [...v, o])).slice(0, MAX_VARIANTS);
  }
  return variants.map((v) => v.join(' '));
}

async function search(ctx: TurnContext, words: string): Promise<Outcome> {
  const query = words.trim().slice(0, 200);
  if (!query) return openDirectory(ctx);
  const typed = withCountryCodes(ctx, query);
  const hits: RegisterHit[] = [];
  // What matches the words as typed comes first; the English variants add what only they find.
  for (const variant of [typed, ...englishVariants(ctx, typed)]) {
    for (const hit of await searchRegisters(ctx.deps.app, { text: variant, lang: ctx.lang })) {
      if (!hits.some((h) => h.entry.id === hit.entry.id)) hits.push(hit);
    }
  }
  if (hits.length === 0) {
    return reply(warning(text('admin.registers.noResults', { query: verbatim(query) })), searchForm(ctx, query));
  }
  return reply({
    kind: 'list',
    title: text('admin.registers.results', { query: verbatim(query) }),
    items: hits.slice(0, MAX_SHOWN).map(hitItem),
    ...(hits.length > MAX_SHOWN ? { more: { action: 'registers.open', label: text('admin.registers.refine', { count: hits.length }) } } : {}),
  });
}

/** `registers <words>`: a search; without words, the search prompt. */
export const registersTurn = (ctx: TurnContext, words: string): Promise<Outcome> => search(ctx, words);

/**
 * What the directory already offers for a request about to be written to a country in an
 * area; [] when it knows nothing, so the request dialogue goes on unchanged.
 */
export async function registerSuggestions(ctx: TurnContext, area: string, country: string): Promise<Block[]> {
  if (!country) return [];
  const hits = await suggestRegisters(ctx.deps.app, { country, area, lang: ctx.lang });
  if (hits.length === 0) return [];
  return [{
    kind: 'list',
    title: text(hits.length === 1 ? 'admin.registers.beforeRequest' : 'admin.registers.beforeRequestMany'),
    items: hits.map(hitItem),
  }];
}

// ---- adding a register ---------------------------------------------------------------------

function addForm(ctx: TurnContext, values?: Values): Form {
  const areas = ctx.authority.areas.length ? ctx.authority.areas : [...ctx.deps.app.areas.keys()];
  return {
    kind: 'form',
    action: 'registers.add.submit',
    title: text('admin.registers.add'),
    intro: text('admin.registers.addIntro', { country: text(`domain.country.${ctx.authority.country}`), authority: verbatim(ctx.authority.name) }),
    fields: [
      { name: 'name', label: text('admin.registers.name'), type: 'text', required: true, maxLength: 300, value: values ? one(values, 'name') : '' },
      { name: 'url', label: text('admin.registers.url'), type: 'text', required: true, maxLength: 500, value: values ? one(values, 'url') : 'https://', hint: text('admin.registers.urlHint') },
      { name: 'description', label: text('admin.registers.description'), type: 'long-text', maxLength: 1000, value: values ? one(values, 'description') : '' },
      { name: 'areas', label: text('admin.registers.areas'), type: 'multi-choice', required: true, options: areaOptions(areas), value: values ? many(values, 'areas') : areas },
      {
        name: 'free',
        label: text('admin.registers.cost'),
        type: 'choice',
        required: true,
        options: [
          { value: 'yes', label: text('admin.registers.free') },
          { value: 'no', label: text('admin.registers.charged') },
        ],
        value: values ? one(values, 'free') : 'yes',
      },
    ],
    submitLabel: text('admin.registers.submit'),
    cancel: cancelButton,
  };
}

async function submitAdd(ctx: TurnContext, values: Values): Promise<Outcome> {
  if (!mayAddRegisters(ctx)) return forbidden(ctx);
  const added = await addRegister(
    ctx.deps.app,
    {
      name: one(values, 'name').trim(),
      url: one(values, 'url').trim(),
      description: one(values, 'description').trim() || undefined,
      areas: many(values, 'areas'),
      free: one(values, 'free') !== 'no',
      lang: ctx.lang,
    },
    actorOf(ctx),
  );
  if (!added.ok) {
    if (added.error.field === undefined) return errorReply(added.error);
    return formWithError(addForm(ctx, values), added.error, 'name', { lang: 'name', id: 'name', country: 'name' });
  }
  const { entry, created } = added.value;
  const hit = hitOf(entry, ctx.lang);
  return reply(success(text(created ? 'admin.registers.added' : 'admin.registers.updated', { name: verbatim(hit.name) })), {
    kind: 'list',
    title: text('admin.registers.title'),
    items: [hitItem(hit)],
  });
}

/** Every "registers.*" action; null for others. */
export async function registersAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  switch (id) {
    case 'registers.open':
      return openDirectory(ctx);
    case 'registers.search':
      return search(ctx, one(values, 'query'));
    case 'registers.add.form':
      return mayAddRegisters(ctx) ? reply(addForm(ctx)) : forbidden(ctx);
    case 'registers.add.submit':
      return submitAdd(ctx, values);
    default:
      return null;
  }
}
