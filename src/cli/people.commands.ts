import { addAuthority, updateAuthority, type AuthorityInput } from '../app/people/register-authority.ts';
import { addUser } from '../app/people/register-user.ts';
import type { Identity } from '../domain/user.ts';
import { CliError, domainFailure, list, personFlags, personInput, str, type Command, type Flags } from './command.ts';

const CLI_ACTOR = { id: 'cli', origin: 'cli' as const };

const authorityFlags = (required: boolean): Command['flags'] => ({
  id: { type: 'string', required: true, help: 'the authority id, e.g. hu-health' },
  name: { type: 'string', required, help: 'the authority name' },
  country: { type: 'string', required, help: 'two-letter country code, e.g. HU' },
  lang: { type: 'string', help: 'default language code, e.g. hu' },
  timezone: { type: 'string', help: 'IANA time zone, e.g. Europe/Budapest' },
  areas: { type: 'string', help: 'legislative areas, comma-separated, e.g. services,posting-of-workers' },
  coordinator: { type: 'string', help: 'id of the coordinating authority' },
  email: { type: 'string', help: 'contact e-mail' },
  phone: { type: 'string', help: 'contact phone' },
  helpdesk: { type: 'string', help: 'national helpdesk contact' },
});

function authorityInput(f: Flags): AuthorityInput {
  const contact = Object.fromEntries(
    (['email', 'phone', 'helpdesk'] as const).filter((k) => str(f[k]) !== undefined).map((k) => [k, str(f[k])]),
  );
  return {
    id: str(f.id)!,
    name: str(f.name),
    country: str(f.country),
    language: str(f.lang),
    timezone: str(f.timezone),
    areas: list(f.areas),
    coordinatorId: str(f.coordinator),
    contact: Object.keys(contact).length > 0 ? contact : undefined,
  };
}

/** Parses `--slack TEAM:USER` and `--teams TENANT:AADID` into identities. */
function identitiesOf(f: Flags, id: string): Identity[] {
  const identities: Identity[] = [{ channel: 'web', externalId: id }];
  for (const channel of ['slack', 'teams'] as const) {
    const value = str(f[channel]);
    if (value === undefined) continue;
    if (!value.includes(':')) throw new CliError(`--${channel} must look like ${channel === 'slack' ? 'TEAM:USER' : 'TENANT:AADOBJECTID'}`);
    identities.push({ channel, externalId: value });
  }
  return identities;
}

export const peopleCommands: Command[] = [
  {
    path: ['authority', 'add'],
    summary: 'Register a competent authority.',
    flags: authorityFlags(true),
    async run(ctx, f) {
      const core = await ctx.core();
      const r = await addAuthority(core.deps, authorityInput(f), CLI_ACTOR);
      if (!r.ok) throw domainFailure(core, r.error);
      ctx.out(`Registered authority ${r.value.id} (${r.value.name}, ${r.value.country}).`);
      return r.value;
    },
  },
  {
    path: ['authority', 'update'],
    summary: "Change an authority's data; flags not given stay as they are.",
    flags: { ...authorityFlags(false), reviewed: { type: 'boolean', help: 'confirm the data as current' } },
    async run(ctx, f) {
      const core = await ctx.core();
      const input = authorityInput(f);
      const r = await updateAuthority(
        core.deps,
        f.reviewed ? { ...input, dataReviewedAt: core.deps.clock.now().toISOString() } : input,
        CLI_ACTOR,
      );
      if (!r.ok) throw domainFailure(core, r.error);
      ctx.out(`Updated authority ${r.value.id}.`);
      return r.value;
    },
  },
  {
    path: ['user', 'add'],
    summary: 'Register an official of an authority.',
    flags: {
      id: { type: 'string', required: true, help: 'the user id, e.g. anna.kovacs' },
      authority: { type: 'string', required: true, help: "the id of the user's authority" },
      ...personFlags({ nameRequired: true }),
      slack: { type: 'string', help: 'Slack identity TEAM:USER' },
      teams: { type: 'string', help: 'Teams identity TENANT:AADOBJECTID' },
    },
    async run(ctx, f) {
      const core = await ctx.core();
      const id = str(f.id)!;
      const r = await addUser(
        core.deps,
        {
          ...personInput(f),
          id,
          authorityId: str(f.authority)!,
          name: str(f.name)!,
          language: str(f.lang) ?? null,
          identities: identitiesOf(f, id),
        },
        CLI_ACTOR,
      );
      if (!r.ok) throw domainFailure(core, r.error);
      ctx.out(`Registered user ${r.value.id} (${r.value.name}) at ${r.value.authorityId}.`);
      return r.value;
    },
  },
];
