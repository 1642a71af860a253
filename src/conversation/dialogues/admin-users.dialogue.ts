import { authorityStaff, changeUserRights } from '../../app/admin/change-user-rights.ts';
import { inviteUser } from '../../app/admin/invite-user.ts';
import { removalPlan, removeUser, type RemovalPlan } from '../../app/admin/remove-user.ts';
import { DEFAULT_INVITATION_DAYS, MAX_INVITATION_DAYS, mayAdministerUsers } from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import { ROLES, type Role, type User } from '../../domain/user.ts';
import { text, verbatim } from '../render.ts';
import type { Block } from '../types.ts';
import type { DomainError } from '../../domain/result.ts';
import { errorReply, errorText, reply, type Outcome, type TurnContext } from '../turn-context.ts';
import {
  actorOf,
  areaNames,
  areaOptions,
  cancelButton,
  forbidden,
  formWithError,
  isCoordinator,
  languageOptions,
  localDateTime,
  principalOf,
  roleNames,
  success,
  warning,
  type Form,
} from './admin-common.dialogue.ts';
import { many, one, type Values } from './values.ts';

/** Registering colleagues (invitations), the list of an authority's users, their rights and their removal. */

/** A list value, or undefined when the form did not send the field at all (nothing to change). */
const listOf = (values: Values, name: string): string[] | undefined => (name in values ? many(values, name) : undefined);

/** The authority an action concerns: the one named in the values, else the user's own. */
async function targetAuthority(ctx: TurnContext, values: Values): Promise<Authority | null> {
  const id = one(values, 'authorityId');
  if (!id || id === ctx.authority.id) return ctx.authority;
  return ctx.deps.app.store.authorities.get(id);
}

/** Roles the speaking user may hand out: the coordinator role only by coordinators (the use case checks too). */
const roleOptions = (ctx: TurnContext, current: readonly Role[] = []) =>
  ROLES.filter((r) => r !== 'coordinator' || isCoordinator(ctx) || current.includes(r)).map((r) => ({ value: r, label: text(`admin.role.${r}`) }));

// ---- register a colleague ------------------------------------------------------------------

function inviteForm(ctx: TurnContext, authority: Authority, values?: Values): Form {
  return {
    kind: 'form',
    action: 'admin.invite.create',
    title: text('admin.invite.title'),
    intro: text('admin.invite.intro', { authority: verbatim(authority.name) }),
    fields: [
      { name: 'name', label: text('admin.invite.name'), type: 'text', required: true, maxLength: 200, value: values ? one(values, 'name') : '' },
      {
        name: 'language',
        label: text('admin.invite.language'),
        type: 'choice',
        options: languageOptions(ctx),
        value: values ? one(values, 'language') : '',
        hint: text('admin.invite.languageHint'),
      },
      { name: 'roles', label: text('admin.invite.roles'), type: 'multi-choice', required: true, options: roleOptions(ctx), value: values ? many(values, 'roles') : ['handler'] },
      {
        name: 'areas',
        label: text('admin.invite.areas'),
        type: 'multi-choice',
        options: areaOptions(authority.areas),
        value: values ? many(values, 'areas') : authority.areas,
        hint: text('admin.invite.areasHint'),
      },
      {
        name: 'validDays',
        label: text('admin.invite.validDays'),
        type: 'text',
        required: true,
        maxLength: 3,
        value: values ? one(values, 'validDays') : String(DEFAULT_INVITATION_DAYS),
        hint: text('admin.invite.validDaysHint', { max: MAX_INVITATION_DAYS }),
      },
    ],
    submitLabel: text('admin.invite.submit'),
    context: { authorityId: authority.id },
    cancel: cancelButton,
  };
}

async function openInvite(ctx: TurnContext, values: Values): Promise<Outcome> {
  const authority = await targetAuthority(ctx, values);
  if (!authority || !mayAdministerUsers(principalOf(ctx), authority)) return forbidden(ctx);
  return reply(inviteForm(ctx, authority));
}

async function submitInvite(ctx: TurnContext, values: Values): Promise<Outcome> {
  const authorityId = one(values, 'authorityId') || ctx.authority.id;
  const days = one(values, 'validDays').trim();
  const roles = listOf(values, 'roles');
  const issued = await inviteUser(
    ctx.deps.app,
    {
      authorityId,
      name: one(values, 'name'),
      language: one(values, 'language') || null,
      roles: roles?.length ? (roles as Role[]) : undefined,
      areas: listOf(values, 'areas'),
      // Whatever is not a whole number is refused by the use case with its own message.
      validDays: days ? (/^\d+$/.test(days) ? Number(days) : Number.NaN) : undefined,
    },
    actorOf(ctx),
  );
  if (!issued.ok) {
    const authority = await targetAuthority(ctx, values);
    if (!authority || issued.error.code === 'ADMIN.FORBIDDEN' || issued.error.code === 'AUTHORITY.NOT_FOUND') return errorReply(issued.error);
    return formWithError(inviteForm(ctx, authority, values), issued.error, 'name', { days: 'validDays', lang: 'language' });
  }
  const { code, expiresAt, invitation } = issued.value;
  const until = verbatim(localDateTime(ctx, expiresAt));
  return reply(success(text('admin.invite.created', { name: verbatim(invitation.name), code: verbatim(code), date: until })), {
    kind: 'card',
    title: text('admin.invite.code'),
    subtitle: verbatim(invitation.name),
    fields: [
      { label: text('admin.invite.code'), value: verbatim(code) },
      { label: text('admin.invite.validUntilLabel'), value: until },
      { label: text('admin.invite.roles'), value: verbatim(roleNames(ctx, invitation.roles)) },
      { label: text('admin.invite.areas'), value: verbatim(areaNames(ctx, invitation.areas)) },
    ],
    sections: [
      { title: text('admin.invite.howToRedeemTitle'), body: text('admin.invite.howToRedeem') },
      { title: text('admin.invite.backupTitle'), body: text('admin.invite.backupHint') },
    ],
    actions: [
      { action: 'admin.invite.form', label: text('admin.invite.another'), value: { authorityId: invitation.authorityId } },
      { action: 'admin.users', label: text('admin.users.show'), value: { authorityId: invitation.authorityId } },
    ],
  });
}

// ---- users of an authority -----------------------------------------------------------------

/** The officials of an authority with their roles and areas, and what an admin can do with each. */
export async function showUsers(ctx: TurnContext, values: Values, before: Block[] = []): Promise<Outcome> {
  const authority = await targetAuthority(ctx, values);
  // Officials may see their colleagues' data, but this list is the admin's tool: offered to admins only.
  if (!authority || !mayAdministerUsers(principalOf(ctx), authority)) return forbidden(ctx);
  const staff = await authorityStaff(ctx.deps.app, { authorityId: authority.id }, actorOf(ctx));
  if (!staff.ok) return errorReply(staff.error);
  const blocks: Block[] = [...before];
  if (staff.value.areasWithoutBackup.length > 0) {
    blocks.push(warning(text('admin.users.noBackup', { areas: verbatim(areaNames(ctx, staff.value.areasWithoutBackup)) })));
  }
  blocks.push(
    {
      kind: 'list',
      title: text('admin.users.title', { authority: verbatim(authority.name) }),
      items: staff.value.users.map((u) => ({
        text: verbatim(u.name),
        detail: text('admin.users.summary', { roles: verbatim(roleNames(ctx, u.roles)), areas: verbatim(areaNames(ctx, u.areas)) }),
        actions: [
          { action: 'admin.rights.form', label: text('admin.users.changeRights'), value: { userId: u.id } },
          { action: 'admin.remove.form', label: text('admin.users.remove'), value: { userId: u.id }, style: 'danger' },
        ],
      })),
      empty: text('admin.users.empty', { authority: verbatim(authority.name) }),
    },
    {
      kind: 'card',
      title: text('admin.menu.registerColleague'),
      fields: [],
      actions: [{ action: 'admin.invite.form', label: text('admin.menu.registerColleague'), value: { authorityId: authority.id }, style: 'primary' }],
    },
  );
  return reply(...blocks);
}

/** A colleague the speaking user may administer, with their authority; null when not allowed or not there. */
async function administered(ctx: TurnContext, userId: string): Promise<{ user: User; authority: Authority } | null> {
  const user = userId ? await ctx.deps.app.store.users.get(userId) : null;
  if (!user?.active) return null;
  const authority = await ctx.deps.app.store.authorities.get(user.authorityId);
  return authority && mayAdministerUsers(principalOf(ctx), authority) ? { user, authority } : null;
}

// ---- roles and rights ----------------------------------------------------------------------

function rightsForm(ctx: TurnContext, user: User, authority: Authority, values?: Values): Form {
  return {
    kind: 'form',
    action: 'admin.rights.save',
    title: text('admin.rights.title', { name: verbatim(user.name) }),
    fields: [
      { name: 'roles', label: text('admin.rights.roles'), type: 'multi-choice', options: roleOptions(ctx, user.roles), value: values ? many(values, 'roles') : user.roles },
      { name: 'areas', label: text('admin.rights.areas'), type: 'multi-choice', options: areaOptions(authority.areas), value: values ? many(values, 'areas') : user.areas },
      {
        name: 'language',
        label: text('admin.rights.language'),
        type: 'choice',
        options: languageOptions(ctx, [user.language]),
        value: values ? one(values, 'language') : (user.language ?? ''),
        hint: text('admin.invite.languageHint'),
      },
    ],
    submitLabel: text('admin.rights.submit'),
    context: { userId: user.id },
    cancel: cancelButton,
  };
}

async function openRights(ctx: TurnContext, values: Values): Promise<Outcome> {
  const target = await administered(ctx, one(values, 'userId'));
  if (!target) return errorReply({ code: 'ADMIN.FORBIDDEN' });
  return reply(rightsForm(ctx, target.user, target.authority));
}

async function submitRights(ctx: TurnContext, values: Values): Promise<Outcome> {
  const userId = one(values, 'userId');
  const changed = await changeUserRights(
    ctx.deps.app,
    {
      userId,
      roles: listOf(values, 'roles') as Role[] | undefined,
      areas: listOf(values, 'areas'),
      language: 'language' in values ? one(values, 'language') || null : undefined,
    },
    actorOf(ctx),
  );
  if (!changed.ok) {
    const target = await administered(ctx, userId);
    if (!target || changed.error.field === undefined) return errorReply(changed.error);
    return formWithError(rightsForm(ctx, target.user, target.authority, values), changed.error, 'roles', { lang: 'language' });
  }
  return showUsers(ctx, { authorityId: changed.value.authorityId }, [success(text('admin.rights.saved', { name: verbatim(changed.value.name) }))]);
}

// ---- removal -------------------------------------------------------------------------------

function removalBlocks(ctx: TurnContext, plan: RemovalPlan, values?: Values, error?: DomainError): Block[] {
  const name = verbatim(plan.user.name);
  const areas = verbatim(areaNames(ctx, plan.areas));
  const work = plan.openWork;
  if (work.length > 0 && plan.candidates.length === 0) {
    return [warning(text('admin.remove.noCandidate', { name, areas }))];
  }
  const form: Form = {
    kind: 'form',
    action: 'admin.remove.apply',
    title: text('admin.remove.title'),
    intro: text('admin.remove.confirm', { name }),
    fields:
      work.length === 0
        ? []
        : [{
            name: 'reassignTo',
            label: text('admin.remove.reassignTo'),
            type: 'choice',
            required: true,
            options: plan.candidates.map((c) => ({ value: c.id, label: verbatim(c.name) })),
            value: values ? one(values, 'reassignTo') : undefined,
            hint: text('admin.remove.reassignHint', { areas }),
            ...(error ? { error: errorText(error) } : {}),
          }],
    submitLabel: text('admin.remove.submit'),
    context: { userId: plan.user.id },
    cancel: { action: 'form.cancel', label: text('admin.remove.cancel') },
  };
  const summary =
    work.length > 0
      ? text('admin.remove.openWork', { name, count: work.length, requests: verbatim(work.map((r) => r.id).join(', ')) })
      : text('admin.remove.noOpenWork', { name });
  const problem: Block[] = error ? [{ kind: 'text', text: errorText(error), tone: 'danger' }] : [];
  return [...problem, { kind: 'text', text: text('admin.remove.intro') }, { kind: 'text', text: summary, tone: work.length ? 'warning' : 'info' }, form];
}

async function openRemoval(ctx: TurnContext, values: Values): Promise<Outcome> {
  const plan = await removalPlan(ctx.deps.app, { userId: one(values, 'userId') }, actorOf(ctx));
  if (!plan.ok) return errorReply(plan.error);
  return reply(...removalBlocks(ctx, plan.value));
}

async function submitRemoval(ctx: TurnContext, values: Values): Promise<Outcome> {
  const userId = one(values, 'userId');
  const removed = await removeUser(ctx.deps.app, { userId, reassignTo: one(values, 'reassignTo') || undefined }, actorOf(ctx));
  if (!removed.ok) {
    if (removed.error.field !== 'reassignTo') return errorReply(removed.error);
    const plan = await removalPlan(ctx.deps.app, { userId }, actorOf(ctx));
    if (!plan.ok) return errorReply(removed.error);
    return reply(...removalBlocks(ctx, plan.value, values, removed.error));
  }
  const { user, reassigned, reassignedTo } = removed.value;
  const successor = reassignedTo ? await ctx.deps.app.store.users.get(reassignedTo) : null;
  const done = successor
    ? text('admin.remove.doneReassigned', { name: verbatim(user.name), count: reassigned.length, successor: verbatim(successor.name) })
    : text('admin.remove.done', { name: verbatim(user.name) });
  return showUsers(ctx, { authorityId: user.authorityId }, [success(done)]);
}

/** The "admin.*" actions about users; null for others. */
export async function usersAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  switch (id) {
    case 'admin.invite.form':
      return openInvite(ctx, values);
    case 'admin.invite.create':
      return submitInvite(ctx, values);
    case 'admin.users':
      return showUsers(ctx, values);
    case 'admin.rights.form':
      return openRights(ctx, values);
    case 'admin.rights.save':
      return submitRights(ctx, values);
    case 'admin.remove.form':
      return openRemoval(ctx, values);
    case 'admin.remove.apply':
      return submitRemoval(ctx, values);
    default:
      return null;
  }
}
