import type { Channel } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import type { ChannelAddress } from '../ports/channel-state.repository.ts';

/** True the first time a platform delivery key is seen; retries of the same delivery get false. */
export const firstDelivery = (deps: AppDeps, key: string): Promise<boolean> =>
  deps.store.channelState.claimEvent(key, deps.clock.now().toISOString());

/** Remembers how to reach a user unprompted; a fresh address clears an earlier stale mark. */
export const rememberAddress = (deps: AppDeps, channel: Channel, externalId: string, address: unknown): Promise<void> =>
  deps.store.channelState.saveAddress(channel, externalId, address, deps.clock.now().toISOString());

export const addressOf = (deps: AppDeps, channel: Channel, externalId: string): Promise<ChannelAddress | null> =>
  deps.store.channelState.getAddress(channel, externalId);

export const markAddressStale = (deps: AppDeps, channel: Channel, externalId: string, reason: string): Promise<void> =>
  deps.store.channelState.markAddressStale(channel, externalId, reason);
