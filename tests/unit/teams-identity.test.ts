import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionOf,
  addressOf,
  asAddress,
  LOCAL_TENANT,
  localeOf,
  referenceOf,
  teamsUserOf,
  textOf,
  turnBase,
} from '../../adapters/teams/identity.teams.ts';
import { ROOT } from '../support/server.ts';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/teams', `${name}.json`), 'utf8'));
const JONAS = '00000000-0000-0000-0000-0000000000aa:11111111-1111-1111-1111-1111111111a1';

describe('Teams identity', () => {
  it('is tenantId:aadObjectId, from conversation.tenantId or channelData.tenant.id', () => {
    const message = fixture('message-personal');
    expect(teamsUserOf(message, false)).toEqual({
      externalId: JONAS,
      tenantId: '00000000-0000-0000-0000-0000000000aa',
      aadObjectId: '11111111-1111-1111-1111-1111111111a1',
    });
    delete message.conversation.tenantId;
    expect(teamsUserOf(message, false)?.externalId).toBe(JONAS);
    delete message.channelData.tenant;
    expect(teamsUserOf(message, false)).toBeNull();
  });

  it('gives a Teams turn with the tenant as workspace and the activity locale', () => {
    const message = fixture('message-personal');
    expect(turnBase(message, teamsUserOf(message, false)!)).toEqual({
      channel: 'teams',
      externalId: JONAS,
      workspace: '00000000-0000-0000-0000-0000000000aa',
      locale: 'de-DE',
    });
    delete message.locale;
    expect(localeOf(message)).toBe('de-DE');
    message.entities = [];
    expect(localeOf(message)).toBeUndefined();
  });

  it('guesses nothing with credentials set, but lets the Emulator user map themselves in local mode', () => {
    const emulator = fixture('emulator-message');
    expect(teamsUserOf(emulator, false)).toBeNull();
    expect(teamsUserOf(emulator, true)?.externalId).toBe(`${LOCAL_TENANT}:0f8a5a64-3b6e-4c1d-9a6f-8e2b3c4d5e6f`);
    emulator.from.id = 'user-1';
    expect(teamsUserOf(emulator, true)).toBeNull();
  });

  it('reads the typed text without the bot mention', () => {
    expect(textOf({ text: '<at>imi-bot</at> inbox ' })).toBe('inbox');
    expect(textOf({})).toBe('');
  });

  it('reads Action.Execute verb and data, values as strings, Teams keys left out', () => {
    const invoke = fixture('invoke-action-execute');
    invoke.value.action.data = { ...invoke.value.action.data, questions: ['a', 'b'], page: 2, msteams: { type: 'x' }, nothing: null };
    expect(actionOf(invoke)).toEqual({
      id: 'request.accept',
      values: { requestId: 'IMI-2026-000001', version: '2', questions: ['a', 'b'], page: '2' },
    });
    expect(actionOf({ value: { action: { type: 'Action.Submit', verb: 'x' } } })).toBeNull();
    expect(actionOf({ value: { action: { type: 'Action.Execute' } } })).toBeNull();
    expect(actionOf({})).toBeNull();
  });

  it('keeps the conversation reference needed for proactive messages, and reads it back', () => {
    const address = addressOf(fixture('installation-update-add'));
    expect(address).toEqual({
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      channelId: 'msteams',
      conversation: {
        id: expect.stringMatching(/^a:/),
        tenantId: '00000000-0000-0000-0000-0000000000aa',
        conversationType: 'personal',
      },
      bot: { id: '28:6e0bbf3a-0000-4c4a-9f57-2f3e1a1b2c3d', name: 'imi-bot' },
      user: { id: expect.stringMatching(/^29:/), aadObjectId: '11111111-1111-1111-1111-1111111111a1' },
      tenantId: '00000000-0000-0000-0000-0000000000aa',
    });
    const stored = JSON.parse(JSON.stringify(address));
    expect(asAddress(stored)).toEqual(address);
    expect(referenceOf(asAddress(stored)!)).toMatchObject({
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversation: { id: address!.conversation.id, tenantId: '00000000-0000-0000-0000-0000000000aa', conversationType: 'personal' },
      bot: { id: '28:6e0bbf3a-0000-4c4a-9f57-2f3e1a1b2c3d' },
      user: { id: address!.user.id, aadObjectId: '11111111-1111-1111-1111-1111111111a1' },
    });
    expect(asAddress({ serviceUrl: 'x' })).toBeNull();
    expect(asAddress(null)).toBeNull();
    expect(addressOf({ type: 'message' })).toBeNull();
  });
});
