import { addressOf, firstDelivery, markAddressStale, rememberAddress } from '../app/channels/channel-state.ts';
import type { AppDeps } from '../app/deps.ts';
import type { ChannelStatePort } from './types.ts';

/** The channels' memory, kept in the database so that any instance can serve any delivery. */
export const channelStatePort = (deps: AppDeps): ChannelStatePort => ({
  firstDelivery: (key) => firstDelivery(deps, key),
  rememberAddress: (channel, externalId, address) => rememberAddress(deps, channel, externalId, address),
  addressOf: (channel, externalId) => addressOf(deps, channel, externalId),
  markAddressStale: (channel, externalId, reason) => markAddressStale(deps, channel, externalId, reason),
});
