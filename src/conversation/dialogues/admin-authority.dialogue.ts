import { confirmAuthorityData, updateAuthorityData, viewAuthorityData } from '../../app/admin/authority-data.ts';
import { coordinatorOverview, type CoordinatedAuthority } from '../../app/admin/coordinator-overview.ts';
import { registerCoordinatedAuthority } from '../../app/admin/register-coordinated-authority.ts';
import { mayEditAuthority } from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import { text, verbatim } from '../render.ts';
import type { Block, TextLike } from '../types.ts';
import { errorReply, languageName, reply, tr, type Outcome, type TurnContext } from '../turn-context.ts';
import {
  actorOf,
  areaNames,
  areaOptions,
  cancelButton,
  forbidden,
  formWithError,
  isCoordinator,
  languageOptions,
  localDate,
  principalOf,
  success,
  type Form,
} from './admin-common.dialogue.ts';
import { one, many, type Values } from './values.ts';

/** The authority's data (view, edit, confirm as current) and the coordinator's overview and registrations. */

const CONTACT_FIELDS = ['email', 'phone', 'address', 'helpdesk'] as const;

const orNotSet = (value: string | null | undefined): TextLike => (value?.trim() ? verbatim(value) : text('admin.authority.notSet'));

async function authorityCard(ctx: TurnContext, a: Authority): Promise<Block> {
  const coordinator = a.coordinatorId ? await ctx.deps.app.store.authorities.get(a.coordinatorId) : null;
  const editable = mayEditAuthority(principalOf(ctx), a);
  return {
    kind: 'card',
    title: verbatim(a.name),
    subtitle: text('admin.authority.title'),
    fields: [
      { label: text('admin.authority.country'), value: text(`domain.country.${a.country}`) },
      ...CONTACT_FIELDS.map((f) => ({ label: text(`admin.authority.${f}`), value: orNotSet(a.contact[f]) })),
      { label: text('admin.authority.language'), value: verbatim(languageName(a.language, ctx.lang)) },
      { label: text('admin.authority.timezone'), value: verbatim(a.timezone) },
      { label: text('admin.authority.areas'), value: verbatim(areaNames(ctx, a.areas)) },
      { label: text('admin.authority.coordinator'), value: orNotSet(coordinator?.name) },
      {
        label: text('admin.authority.reviewedAt'),
        value: a.dataReviewedAt ? verbatim(localDate(ctx, a.dataReviewedAt)) : text('admin.authority.neverReviewed'),
      },
    ],
    actions: editable
      ? [
          { action: 'admin.authority.review', label: text('admin.authority.confirm'), value: { authorityId: a.id }, style: 'primary' },
          { action: 'admin.authority.form', label: text('admin.authority.edit'), value: { authorityId: a.id } },
        ]
      : [],
  };
}

async function showAuthority(ctx: TurnContext, values: Values, before: Block[] = []): Promise<Outcome> {
  const viewed = await viewAuthorityData(ctx.deps.app, { authorityId: one(values, 'authorityId') || ctx.authority.id }, actorOf(ctx));
  if (!viewed.ok) return errorReply(viewed.error);
  const intro: Block[] = before.length ? before : [{ kind: 'text', text: text('admin.authority.intro') }];
  return reply(...intro, await authorityCard(ctx, viewed.value));
}

function editForm(ctx: TurnContext, a: Authority, values?: Values): Form {
  const typed = (name: string, current: string | undefined) => (values ? one(values, name) : (current ?? ''));
  return {
    kind: 'form',
    action: 'admin.authority.save',
    title: text('admin.authority.title'),
    intro: text('admin.authority.intro'),
    fields: [
      { name: 'name', label: text('admin.authority.name'), type: 'text', required: true, maxLength: 300, value: typed('name', a.name) },
      ...CONTACT_FIELDS.map((f) => ({
        name: f,
        label: text(`admin.authority.${f}`),
        type: f === 'address' || f === 'helpdesk' ? ('long-text' as const) : ('text' as const),
        maxLength: 500,
        value: typed(f, a.contact[f]),
      })),
      { name: 'language', label: text('admin.authority.language'), type: 'choice', required: true, options: languageOptions(ctx, [a.language]), value: typed('language', a.language) },
      { name: 'timezone', label: text('admin.authority.timezone'), type: 'text', required: true, maxLength: 64, value: typed('timezone', a.timezone), hint: text('admin.authority.timezoneHint') },
      {
        name: 'areas',
        label: text('admin.authority.areas'),
        type: 'multi-choice',
        options: areaOptions([...ctx.deps.app.areas.keys()]),
        value: values ? many(values, 'areas') : a.areas,
      },
    ],
    submitLabel: text('admin.authority.submit'),
    context: { authorityId: a.id },
    cancel: cancelButton,
  };
}

/** The authority, when the speaking user may edit it; null otherwise. */
async function editable(ctx: TurnContext, values: Values): Promise<Authority | null> {
  const a = await ctx.deps.app.store.authorities.get(one(values, 'authorityId') || ctx.authority.id);
  return a && mayEditAuthority(principalOf(ctx), a) ? a : null;
}

async function openEdit(ctx: TurnContext, values: Values): Promise<Outcome> {
  const a = await editable(ctx, values);
  return a ? reply(editForm(ctx, a)) : errorReply({ code: 'ADMIN.FORBIDDEN' });
}

async function submitEdit(ctx: TurnContext, values: Values): Promise<Outcome> {
  const authorityId = one(values, 'authorityId') || ctx.authority.id;
  const given = (name: string) => (name in values ? one(values, name).trim() : undefined);
  const contact = Object.fromEntries(CONTACT_FIELDS.filter((f) => f in values).map((f) => [f, one(values, f).trim()]));
  const updated = await updateAuthorityData(
    ctx.deps.app,
    {
      authorityId,
      changes: {
        name: given('name'),
        contact,
        language: given('language') || undefined,
        timezone: given('timezone'),
        areas: 'areas' in values ? many(values, 'areas') : undefined,
      },
    },
    actorOf(ctx),
  );
  if (!updated.ok) {
    const a = await editable(ctx, values);
    if (!a || updated.error.field === undefined) return errorReply(updated.error);
    return formWithError(editForm(ctx, a, values), updated.error, 'name', { lang: 'language' });
  }
  return showAuthority(ctx, { authorityId }, [success(text('admin.authority.saved', { authority: verbatim(updated.value.name) }))]);
}

async function confirmData(ctx: TurnContext, values: Values): Promise<Outcome> {
  const confirmed = await confirmAuthorityData(ctx.deps.app, { authorityId: one(values, 'authorityId') || ctx.authority.id }, actorOf(ctx));
  if (!confirmed.ok) return errorReply(confirmed.error);
  const a = confirmed.value;
  const done = success(text('admin.authority.confirmed', { authority: verbatim(a.name), date: verbatim(localDate(ctx, a.dataReviewedAt!)) }));
  return { reply: { blocks: [done, await authorityCard(ctx, a)] }, replacesCard: true };
}

// ---- coordinator ---------------------------------------------------------------------------

function overviewDetail(ctx: TurnContext, a: CoordinatedAuthority): string {
  const parts = [
    tr(ctx, 'admin.coordinator.summary', {
      open: a.open,
      overdue: a.overdue,
      users: a.users,
      admins: a.localAdmins,
      reviewed: a.dataReviewedAt ? localDate(ctx, a.dataReviewedAt) : tr(ctx, 'admin.authority.neverReviewed'),
    }),
  ];
  if (a.localAdmins === 0) parts.push(tr(ctx, 'admin.coordinator.noLocalAdmin'));
  if (a.areasWithoutBackup.length) parts.push(tr(ctx, 'admin.coordinator.noBackup', { areas: areaNames(ctx, a.areasWithoutBackup) }));
  return parts.join(' · ');
}

/** The coordinated authorities with counts only: a coordinator oversees, they do not read the requests. */
async function overview(ctx: TurnContext): Promise<Outcome> {
  if (!isCoordinator(ctx)) return forbidden(ctx);
  const rows = await coordinatorOverview(ctx.deps.app, {}, actorOf(ctx));
  if (!rows.ok) return errorReply(rows.error);
  return reply(
    {
      kind: 'list',
      title: text('admin.coordinator.title'),
      items: rows.value.map((a) => ({
        text: verbatim(`${a.name} (${tr(ctx, `domain.country.${a.country}`)})`),
        detail: verbatim(overviewDetail(ctx, a)),
        tone: a.overdue > 0 || a.localAdmins === 0 || a.areasWithoutBackup.length > 0 ? 'warning' : undefined,
        actions: [
          { action: 'admin.users', label: text('admin.coordinator.showUsers'), value: { authorityId: a.id } },
          { action: 'admin.authority', label: text('admin.coordinator.showData'), value: { authorityId: a.id } },
          { action: 'admin.invite.form', label: text('admin.coordinator.invite'), value: { authorityId: a.id } },
        ],
      })),
      empty: text('admin.coordinator.empty'),
    },
    {
      kind: 'card',
      title: text('admin.coordinator.registerAuthority'),
      fields: [],
      actions: [{ action: 'admin.coordinator.register', label: text('admin.coordinator.registerAuthority'), style: 'primary' }],
    },
  );
}

function registerForm(ctx: TurnContext, values?: Values): Form {
  return {
    kind: 'form',
    action: 'admin.coordinator.create',
    title: text('admin.coordinator.registerAuthority'),
    intro: text('admin.coordinator.registerIntro', { country: text(`domain.country.${ctx.authority.country}`) }),
    fields: [
      { name: 'name', label: text('admin.coordinator.authorityName'), type: 'text', required: true, maxLength: 300, value: values ? one(values, 'name') : '' },
      {
        name: 'id',
        label: text('admin.coordinator.authorityId'),
        type: 'text',
        required: true,
        maxLength: 64,
        value: values ? one(values, 'id') : '',
        hint: text('admin.coordinator.authorityIdHint'),
      },
      {
        name: 'areas',
        label: text('admin.coordinator.assignAreas'),
        type: 'multi-choice',
        options: areaOptions([...ctx.deps.app.areas.keys()]),
        value: values ? many(values, 'areas') : [],
      },
    ],
    submitLabel: text('admin.coordinator.submit'),
    cancel: cancelButton,
  };
}

async function submitRegistration(ctx: TurnContext, values: Values): Promise<Outcome> {
  if (!isCoordinator(ctx)) return forbidden(ctx);
  const registered = await registerCoordinatedAuthority(
    ctx.deps.app,
    { id: one(values, 'id').trim(), name: one(values, 'name').trim(), country: ctx.authority.country, areas: many(values, 'areas') },
    actorOf(ctx),
  );
  if (!registered.ok) {
    if (registered.error.field === undefined) return errorReply(registered.error);
    return formWithError(registerForm(ctx, values), registered.error, 'name');
  }
  const a = registered.value;
  return reply(success(text('admin.coordinator.registered', { authority: verbatim(a.name) })), {
    kind: 'card',
    title: verbatim(a.name),
    subtitle: text(`domain.country.${a.country}`),
    fields: [{ label: text('admin.authority.areas'), value: verbatim(areaNames(ctx, a.areas)) }],
    actions: [
      { action: 'admin.invite.form', label: text('admin.coordinator.invite'), value: { authorityId: a.id }, style: 'primary' },
      { action: 'admin.authority', label: text('admin.coordinator.showData'), value: { authorityId: a.id } },
    ],
  });
}

/** The "admin.*" actions about authorities; null for others. */
export async function authorityAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  switch (id) {
    case 'admin.authority':
      return showAuthority(ctx, values);
    case 'admin.authority.form':
      return openEdit(ctx, values);
    case 'admin.authority.save':
      return submitEdit(ctx, values);
    case 'admin.authority.review':
      return confirmData(ctx, values);
    case 'admin.coordinator':
      return overview(ctx);
    case 'admin.coordinator.register':
      return isCoordinator(ctx) ? reply(registerForm(ctx)) : forbidden(ctx);
    case 'admin.coordinator.create':
      return submitRegistration(ctx, values);
    default:
      return null;
  }
}
