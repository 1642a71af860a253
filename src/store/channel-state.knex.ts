import type { Knex } from 'knex';
import type { ChannelStateRepository } from '../app/ports/channel-state.repository.ts';
import { fromJson, toJson } from './json.ts';

export const channelStateRepository = (db: Knex | Knex.Transaction): ChannelStateRepository => ({
  async claimEvent(key, at) {
    const inserted = await db('processed_events').insert({ key, at }).onConflict('key').ignore().returning('key');
    return inserted.length > 0;
  },
  async saveAddress(channel, externalId, address, at) {
    await db('channel_addresses')
      .insert({ channel, external_id: externalId, address: toJson(address), updated_at: at, stale_reason: null })
      .onConflict(['channel', 'external_id'])
      .merge();
  },
  async getAddress(channel, externalId) {
    const row = await db('channel_addresses').where({ channel, external_id: externalId }).first();
    return row ? { address: fromJson(row.address), updatedAt: row.updated_at, staleReason: row.stale_reason ?? null } : null;
  },
  async markAddressStale(channel, externalId, reason) {
    await db('channel_addresses').where({ channel, external_id: externalId }).update({ stale_reason: reason.slice(0, 300) });
  },
  async getDialogue(userId) {
    const row = await db('conversation_state').where({ user_id: userId }).first();
    return row ? fromJson(row.state) : null;
  },
  async setDialogue(userId, state, at) {
    if (state === null) {
      await db('conversation_state').where({ user_id: userId }).delete();
      return;
    }
    await db('conversation_state')
      .insert({ user_id: userId, state: toJson(state), updated_at: at })
      .onConflict('user_id')
      .merge();
  },
});
