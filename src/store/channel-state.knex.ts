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
});
