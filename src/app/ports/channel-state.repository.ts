import type { Channel } from '../../domain/user.ts';

export interface ChannelAddress {
  address: unknown;
  updatedAt: string;
  /** Why the address no longer works (user uninstalled the app), or null. */
  staleReason: string | null;
}

/** What channels need remembered across instances: seen deliveries and how to reach users. */
export interface ChannelStateRepository {
  /** Records a platform delivery key; false when it was recorded before (a retry). */
  claimEvent(key: string, at: string): Promise<boolean>;
  saveAddress(channel: Channel, externalId: string, address: unknown, at: string): Promise<void>;
  getAddress(channel: Channel, externalId: string): Promise<ChannelAddress | null>;
  markAddressStale(channel: Channel, externalId: string, reason: string): Promise<void>;
}
