import { text } from '../render.ts';
import type { Button } from '../types.ts';
import { reply, type Outcome, type TurnContext } from '../turn-context.ts';
import { forbidden, isCoordinator, isLocalAdmin } from './admin-common.dialogue.ts';
import { authorityAction } from './admin-authority.dialogue.ts';
import { usersAction } from './admin-users.dialogue.ts';
import type { Values } from './values.ts';

/**
 * The administration menu and the router of every "admin.*" action. Each button is offered
 * only to whom the roles allow; the use cases check again, so a crafted action is refused there.
 */
export async function adminMenu(ctx: TurnContext): Promise<Outcome> {
  const actions: Button[] = [];
  if (isLocalAdmin(ctx)) {
    actions.push(
      { action: 'admin.invite.form', label: text('admin.menu.registerColleague'), style: 'primary' },
      { action: 'admin.users', label: text('admin.menu.users') },
      { action: 'admin.authority', label: text('admin.menu.authorityData') },
    );
  }
  if (isCoordinator(ctx)) {
    actions.push(
      { action: 'admin.coordinator', label: text('admin.menu.coordinated'), style: isLocalAdmin(ctx) ? 'default' : 'primary' },
      { action: 'admin.coordinator.register', label: text('admin.coordinator.registerAuthority') },
      { action: 'helpdesk.tickets', label: text('helpdesk.ticket.incoming') },
    );
  }
  const registers: Button = { action: 'registers.open', label: text('admin.menu.registers') };
  if (actions.length === 0) {
    const refused = await forbidden(ctx);
    // The directory is public: even without admin rights the user is not left empty-handed.
    return reply(...refused.reply.blocks, { kind: 'card', title: text('admin.registers.title'), fields: [], actions: [registers] });
  }
  return reply({ kind: 'card', title: text('admin.menu.title'), subtitle: text('admin.menu.intro'), fields: [], actions: [...actions, registers] });
}

/** Every "admin.*" action; null for ids this dialogue does not know. */
export async function adminAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  if (id === 'admin.menu') return adminMenu(ctx);
  return (await usersAction(ctx, id, values)) ?? (await authorityAction(ctx, id, values));
}
