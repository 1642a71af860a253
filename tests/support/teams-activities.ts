import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './server.ts';

/** Real Teams activity shapes from tests/fixtures/teams, pointed at a connector and made unique. */

export const JONAS_TEAMS = {
  tenantId: '00000000-0000-0000-0000-0000000000aa',
  aadObjectId: '11111111-1111-1111-1111-1111111111a1',
  externalId: '00000000-0000-0000-0000-0000000000aa:11111111-1111-1111-1111-1111111111a1',
};

export type FixtureName =
  | 'message-personal'
  | 'conversation-update-install'
  | 'installation-update-add'
  | 'installation-update-remove'
  | 'invoke-action-execute'
  | 'emulator-message';

export interface TeamsUserOverride {
  tenantId: string;
  aadObjectId: string;
  /** The user's Teams id (29:…) and personal conversation id; derived from the AAD id when absent. */
  mri?: string;
  conversationId?: string;
  name?: string;
}

export function teamsFixture(name: FixtureName): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/teams', `${name}.json`), 'utf8'));
}

/** A fixture with a fresh id, the given serviceUrl, and optionally another user and locale. */
export function teamsActivity(
  name: FixtureName,
  serviceUrl: string,
  changes: { user?: TeamsUserOverride; locale?: string; text?: string; value?: unknown } = {},
): Record<string, any> {
  const a = teamsFixture(name);
  a.id = name.startsWith('invoke') || name.startsWith('conversation') || name.startsWith('installation') ? `f:${crypto.randomUUID()}` : String(Date.now()) + crypto.randomInt(1000);
  a.serviceUrl = serviceUrl;
  if (changes.user) {
    const u = changes.user;
    a.from = { id: u.mri ?? `29:${u.aadObjectId}`, aadObjectId: u.aadObjectId, ...(u.name ? { name: u.name } : {}) };
    a.conversation = { ...a.conversation, tenantId: u.tenantId, id: u.conversationId ?? `a:${u.aadObjectId}` };
    if (a.channelData?.tenant) a.channelData.tenant.id = u.tenantId;
  }
  if (changes.locale !== undefined) {
    a.locale = changes.locale;
    for (const e of a.entities ?? []) if (e.type === 'clientInfo') e.locale = changes.locale;
  }
  if (changes.text !== undefined) a.text = changes.text;
  if (changes.value !== undefined) a.value = changes.value;
  return a;
}

/** An Action.Execute invoke as Teams sends it when a button is pressed. */
export function actionExecute(
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  changes: { user?: TeamsUserOverride; locale?: string } = {},
): Record<string, any> {
  return teamsActivity('invoke-action-execute', serviceUrl, {
    ...changes,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  });
}

/** Posts an activity to /api/messages as the Bot Framework would. */
export async function postActivity(
  baseUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}
