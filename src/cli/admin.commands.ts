import { changeUserRights } from '../app/admin/change-user-rights.ts';
import { coordinatorOverview } from '../app/admin/coordinator-overview.ts';
import { inviteUser } from '../app/admin/invite-user.ts';
import { CLI_ACTOR } from '../app/admin/principal.ts';
import { removeUser } from '../app/admin/remove-user.ts';
import { addRegister } from '../app/registers/add-register.ts';
import { listRegisters, searchRegisters } from '../app/registers/search-registers.ts';
import { COUNTRIES } from '../domain/authority.ts';
import { EU_WIDE, localized, type RegisterEntry } from '../domain/register.ts';
import type { DomainError } from '../domain/result.ts';
import type { Core } from '../wiring.ts';
import { CliError, domainFailure, list, personFlags, personInput, str, type Command, type Flags } from './command.ts';

/** Domain fields whose flag has another name in these commands. */
const fieldFlags = (extra: Record<string, string> = {}) => ({ reassignTo: 'reassign-to', authority: 'authority', ...extra });

const failure = (core: Core, error: DomainError, flags: Record<string, string> = fieldFlags()): CliError =>
  domainFailure(core, error.field ? { ...error, field: flags[error.field] ?? error.field } : error);

/** What scripts see of a register: the contract shape `{ id, country, area, name, url, … }`. */
export const registerSummary = (e: RegisterEntry, area?: string) => {
  const en = localized(e, 'en');
  return {
    id: e.id,
    country: e.country,
    // The filtered area when there is one, so every row of `--area X` says X.
    area: area && e.areas.includes(area) ? area : e.areas[0]!,
    areas: e.areas,
    name: en.name,
    description: en.description,
    url: e.url,
    free: e.free,
    names: e.name,
    descriptions: e.description,
    owner: e.ownerAuthorityId,
    updatedAt: e.updatedAt,
  };
};

function checkCountry(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cc = value.toUpperCase();
  if (cc !== EU_WIDE && !(COUNTRIES as readonly string[]).includes(cc)) {
    throw new CliError(`--country: "${value}" is not the code of an EU or EEA country (e.g. HU, DE, FR), nor EU for EU-wide registers.`);
  }
  return cc;
}

function checkArea(core: Core, value: string | undefined): string | undefined {
  if (value === undefined || core.deps.areas.has(value)) return value;
  throw new CliError(`--area: "${value}" is not a legislative area. Known areas: ${[...core.deps.areas.keys()].join(', ')}.`);
}

const printRegisters = (ctx: { out(line: string): void }, rows: ReturnType<typeof registerSummary>[]) => {
  for (const r of rows) ctx.out(`${r.country}  ${r.id.padEnd(34)} ${r.name}\n    ${r.url}  [${r.areas.join(', ')}]${r.free ? '' : ' (charged)'}`);
  if (rows.length === 0) ctx.out('No registers.');
};

export const adminCommands: Command[] = [
  {
    path: ['user', 'remove'],
    summary: "Remove a user (deactivate, unbind chat identities); their open requests go to --reassign-to first.",
    flags: {
      id: { type: 'string', required: true, help: 'the id of the user to remove' },
      'reassign-to': { type: 'string', help: 'id of the colleague who takes over their drafts and open requests' },
    },
    async run(ctx, f) {
      const core = await ctx.core();
      const r = await removeUser(core.deps, { userId: str(f.id)!, reassignTo: str(f['reassign-to']) }, CLI_ACTOR);
      if (!r.ok) {
        if (r.error.code === 'USER.REASSIGN_REQUIRED') {
          const p = r.error.params ?? {};
          throw new CliError(
            `--reassign-to is required: ${p.name} still has ${p.count} open request(s) or draft(s). ` +
              `Colleagues who can take them over: ${p.candidates}. Example: imi user remove --id ${str(f.id)} --reassign-to ${String(p.candidates).split(', ')[0]}`,
          );
        }
        throw failure(core, r.error);
      }
      const { user, reassigned, reassignedTo } = r.value;
      ctx.out(`Removed user ${user.id} (${user.name}) of ${user.authorityId}; chat identities unbound.`);
      if (reassignedTo) ctx.out(`${reassigned.length} open request(s) or draft(s) reassigned to ${reassignedTo}: ${reassigned.join(', ')}.`);
      return { id: user.id, name: user.name, authority: user.authorityId, active: user.active, reassignedTo, reassigned };
    },
  },
  {
    path: ['user', 'update'],
    summary: "Change a user's roles, area rights, language or name; flags not given stay as they are.",
    flags: {
      id: { type: 'string', required: true, help: 'the user id' },
      ...personFlags(),
    },
    async run(ctx, f) {
      const core = await ctx.core();
      const r = await changeUserRights(
        core.deps,
        { ...personInput(f), userId: str(f.id)! },
        CLI_ACTOR,
      );
      if (!r.ok) throw failure(core, r.error);
      ctx.out(`Updated user ${r.value.id}: roles ${r.value.roles.join(', ') || '-'}; areas ${r.value.areas.join(', ') || '-'}.`);
      return r.value;
    },
  },
  {
    path: ['invite'],
    summary: 'Issue a single-use invitation code for a colleague to redeem in Slack, Teams or the web chat.',
    flags: {
      authority: { type: 'string', required: true, help: "the id of the colleague's authority" },
      ...personFlags({
        nameRequired: true,
        roles: 'roles, comma-separated: handler, local_admin, coordinator (default handler)',
        areas: "legislative areas, comma-separated (default: all of the authority's)",
      }),
      days: { type: 'string', help: 'days the code stays valid, 1 to 30 (default 7)' },
    },
    async run(ctx, f) {
      const days = str(f.days);
      if (days !== undefined && !/^\d+$/.test(days)) throw new CliError(`--days must be a whole number of days (got "${days}").`);
      const core = await ctx.core();
      const r = await inviteUser(
        core.deps,
        {
          ...personInput(f),
          authorityId: str(f.authority)!,
          name: str(f.name)!,
          language: str(f.lang) ?? null,
          validDays: days === undefined ? undefined : Number(days),
        },
        CLI_ACTOR,
      );
      if (!r.ok) throw failure(core, r.error);
      const inv = r.value.invitation;
      ctx.out(`Invitation code for ${inv.name} (${inv.authorityId}): ${r.value.code}`);
      ctx.out(`Valid until ${r.value.expiresAt}, for one use. They enter the code in a chat with the bot in Slack, Teams or the web chat.`);
      return {
        code: r.value.code,
        expiresAt: r.value.expiresAt,
        authority: inv.authorityId,
        name: inv.name,
        language: inv.language,
        roles: inv.roles,
        areas: inv.areas,
        id: inv.id,
      };
    },
  },
  {
    path: ['registers', 'list'],
    summary: 'List the registers directory, optionally of one country and/or area.',
    flags: {
      country: { type: 'string', help: 'two-letter country code, e.g. HU (EU for EU-wide registers)' },
      area: { type: 'string', help: 'legislative area, e.g. professional-qualifications' },
    },
    async run(ctx, f) {
      const country = checkCountry(str(f.country));
      const core = await ctx.core();
      const area = checkArea(core, str(f.area));
      const rows = (await listRegisters(core.deps, { country, area })).map((e) => registerSummary(e, area));
      printRegisters(ctx, rows);
      return rows;
    },
  },
  {
    path: ['registers', 'search'],
    summary: 'Search the registers directory by words in any language (accents ignored).',
    positional: 'WORDS',
    flags: {
      country: { type: 'string', help: 'two-letter country code, e.g. HU' },
      area: { type: 'string', help: 'legislative area' },
    },
    async run(ctx, f, words) {
      if (words.length === 0) throw new CliError('Give some words to search for, e.g. imi registers search company register');
      const country = checkCountry(str(f.country));
      const core = await ctx.core();
      const area = checkArea(core, str(f.area));
      const hits = await searchRegisters(core.deps, { text: words.join(' '), country, area });
      const rows = hits.map((h) => registerSummary(h.entry, area));
      printRegisters(ctx, rows);
      return rows;
    },
  },
  {
    path: ['registers', 'add'],
    summary: 'Add a public register to the directory, or update one (same --id).',
    flags: {
      country: { type: 'string', required: true, help: 'two-letter country code, e.g. HU (EU for EU-wide registers)' },
      area: { type: 'string', required: true, help: 'legislative area(s) it helps with, comma-separated' },
      name: { type: 'string', required: true, help: 'the register name' },
      url: { type: 'string', required: true, help: 'its web address, starting with https://' },
      id: { type: 'string', help: 'entry id (default: derived from country and name)' },
      description: { type: 'string', help: 'what the register holds' },
      lang: { type: 'string', help: 'language of --name and --description (default en)' },
      authority: { type: 'string', help: 'id of the authority that keeps the entry current' },
      paid: { type: 'boolean', help: 'consulting the register is charged' },
    },
    async run(ctx, f) {
      const country = checkCountry(str(f.country));
      const core = await ctx.core();
      const r = await addRegister(
        core.deps,
        {
          id: str(f.id),
          country,
          areas: list(f.area) ?? [],
          name: str(f.name),
          description: str(f.description),
          lang: str(f.lang) ?? 'en',
          url: str(f.url)!,
          free: f.paid ? false : undefined,
          ownerAuthorityId: str(f.authority) ?? null,
        },
        CLI_ACTOR,
      );
      if (!r.ok) throw failure(core, r.error, fieldFlags({ areas: 'area' }));
      ctx.out(`${r.value.created ? 'Added' : 'Updated'} register ${r.value.entry.id} (${r.value.entry.country}): ${r.value.entry.url}`);
      return registerSummary(r.value.entry);
    },
  },
  {
    path: ['authority', 'overview'],
    summary: 'Authorities a coordinating authority coordinates, with open and overdue request counts.',
    flags: { coordinator: { type: 'string', help: 'id of the coordinating authority (default: every authority)' } },
    async run(ctx, f) {
      const core = await ctx.core();
      const r = await coordinatorOverview(core.deps, { coordinatorAuthorityId: str(f.coordinator) }, CLI_ACTOR);
      if (!r.ok) throw failure(core, r.error);
      for (const a of r.value) {
        const backup = a.areasWithoutBackup.length ? `  no backup in ${a.areasWithoutBackup.join(', ')}` : '';
        ctx.out(`${a.country}  ${a.id.padEnd(20)} open ${String(a.open).padStart(3)}  overdue ${String(a.overdue).padStart(3)}  users ${a.users}  reviewed ${a.dataReviewedAt?.slice(0, 10) ?? 'never'}${backup}`);
      }
      if (r.value.length === 0) ctx.out('No authorities.');
      return r.value;
    },
  },
];
