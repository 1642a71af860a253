import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './server.ts';
import type { FakeSlackCall } from './fake-slack.ts';

/**
 * Slack's payloads, built from the recorded real ones in tests/fixtures/slack/ with the
 * ids of a test, and the bits of what the bot sent (buttons, modals) a user acts on.
 */

type Json = Record<string, any>;

export const fixture = (name: string): Json =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/slack', `${name}.json`), 'utf8'));

const eventId = () => `Ev${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
const triggerId = () => `${Date.now()}.738474920.${crypto.randomBytes(16).toString('hex')}`;

export interface SlackUser {
  team: string;
  user: string;
}

/** A DM to the bot (message.im). */
export function dmEvent(who: SlackUser, text: string, id = eventId()): Json {
  const e = fixture('event-message-im');
  e.team_id = who.team;
  e.event_id = id;
  e.event = { ...e.event, user: who.user, team: who.team, text, channel: `D${who.user.slice(1)}`, ts: `${Date.now() / 1000}` };
  return e;
}

export function mentionEvent(who: SlackUser, text: string, channel = 'C0GENERAL'): Json {
  const e = fixture('event-app-mention');
  e.team_id = who.team;
  e.event_id = eventId();
  e.event = { ...e.event, user: who.user, team: who.team, text, channel };
  return e;
}

export function homeOpenedEvent(who: SlackUser, tab: 'home' | 'messages' = 'home'): Json {
  const e = fixture('event-app-home-opened');
  e.team_id = who.team;
  e.event_id = eventId();
  e.event = { ...e.event, user: who.user, tab, channel: `D${who.user.slice(1)}` };
  return e;
}

/** The `/imi` slash command as Slack posts it (a form). */
export function slashCommand(who: SlackUser, text: string, responseUrl: string, channel = `D${who.user.slice(1)}`): { form: Record<string, string>; triggerId: string } {
  const c = fixture('command-imi') as Record<string, string>;
  const trigger = triggerId();
  return {
    form: { ...c, team_id: who.team, user_id: who.user, text, channel_id: channel, channel_name: channel.startsWith('D') ? 'directmessage' : 'general', response_url: responseUrl, trigger_id: trigger },
    triggerId: trigger,
  };
}

export interface FoundButton {
  action_id: string;
  value: string;
  /** The action the button stands for. */
  action: string;
  values: Record<string, string>;
}

/** Every button in some blocks, with its decoded action. */
export function buttonsIn(blocks: unknown): FoundButton[] {
  const found: FoundButton[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Json;
    if (o.type === 'button' && typeof o.value === 'string') {
      let decoded: Json = {};
      try {
        decoded = JSON.parse(o.value);
      } catch {
        // not one of ours
      }
      found.push({ action_id: o.action_id, value: o.value, action: decoded.a ?? decoded.t ?? '', values: decoded.v ?? {} });
    }
    Object.values(o).forEach(walk);
  };
  walk(blocks);
  return found;
}

/** A button press on a message (block_actions, as a form with `payload`). */
export function pressOnMessage(who: SlackUser, button: FoundButton, message: { channel: string; ts: string }): { form: Record<string, string>; triggerId: string } {
  const p = fixture('block-actions');
  const trigger = triggerId();
  p.user = { ...p.user, id: who.user, team_id: who.team };
  p.team = { ...p.team, id: who.team };
  p.trigger_id = trigger;
  p.container = { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false };
  p.channel = { id: message.channel, name: 'directmessage' };
  p.message = { ...p.message, ts: message.ts };
  p.actions = [{ ...p.actions[0], action_id: button.action_id, value: button.value, block_id: 'b' }];
  return { form: { payload: JSON.stringify(p) }, triggerId: trigger };
}

/** A button press on the App Home tab. */
export function pressOnHome(who: SlackUser, button: FoundButton, viewId: string): { form: Record<string, string>; triggerId: string } {
  const { form, triggerId: trigger } = pressOnMessage(who, button, { channel: 'D0', ts: '0' });
  const p = JSON.parse(form.payload!);
  p.container = { type: 'view', view_id: viewId };
  delete p.channel;
  delete p.message;
  p.view = { id: viewId, type: 'home', callback_id: 'imi-home', blocks: [] };
  return { form: { payload: JSON.stringify(p) }, triggerId: trigger };
}

type Input = { type: string; block_id: string; element: Json };

/** The field names of a modal's inputs (the last part of their block ids). */
export const fieldsOf = (view: Json): string[] =>
  (view.blocks as Input[]).filter((b) => b.type === 'input').map((b) => b.block_id.slice(b.block_id.lastIndexOf('|') + 1));

/** The modal's input state as Slack reports it, with the user's entries by field name. */
export function stateFor(view: Json, entries: Record<string, string | string[]>): Json {
  const values: Json = {};
  for (const b of (view.blocks as Input[]).filter((x) => x.type === 'input')) {
    const name = b.block_id.slice(b.block_id.lastIndexOf('|') + 1);
    const v = entries[name];
    const type = b.element.type as string;
    const state: Json = { type };
    if (type === 'checkboxes' || type === 'multi_static_select') state.selected_options = (Array.isArray(v) ? v : v ? [v] : []).map((value) => ({ value }));
    else if (type === 'static_select' || type === 'radio_buttons') state.selected_option = v ? { value: v } : null;
    else if (type === 'datepicker') state.selected_date = v ?? null;
    else state.value = v ?? null;
    values[b.block_id] = { [b.element.action_id]: state };
  }
  return values;
}

/** The view_submission of a modal the bot opened, with the user's entries. */
export function submission(who: SlackUser, view: Json, viewId: string, entries: Record<string, string | string[]>): { form: Record<string, string> } {
  const p = fixture('view-submission');
  p.user = { ...p.user, id: who.user, team_id: who.team };
  p.team = { ...p.team, id: who.team };
  p.view = { ...p.view, ...view, id: viewId, state: { values: stateFor(view, entries) } };
  return { form: { payload: JSON.stringify(p) } };
}

/** The user closed a modal with its close button. */
export function closing(who: SlackUser, view: Json, viewId: string): { form: Record<string, string> } {
  const p = fixture('view-closed');
  p.user = { ...p.user, id: who.user, team_id: who.team };
  p.team = { ...p.team, id: who.team };
  p.view = { ...p.view, ...view, id: viewId };
  return { form: { payload: JSON.stringify(p) } };
}

/** The view a views.open / views.update / response_action carried, with the id Slack gave it. */
export const viewOf = (call: FakeSlackCall): { view: Json; id: string } => ({
  view: call.args.view as Json,
  id: String((call.response.view as Json | undefined)?.id ?? call.args.view_id),
});

/** The action of a form modal (its private_metadata). */
export const formAction = (view: Json): string | undefined => {
  try {
    return JSON.parse(view.private_metadata ?? '').a;
  } catch {
    return undefined;
  }
};
