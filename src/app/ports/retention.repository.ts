/** When a request's personal data were blocked and deleted under the retention rules. */
export interface RetentionMarkers {
  blockedAt: string | null;
  personalDataDeletedAt: string | null;
}

/** Retention bookkeeping beside the requests (migration 006) and clean-up of copies of their texts. */
export interface RetentionRepository {
  /** One request's markers, or null when there is no such request. */
  markers(requestId: string): Promise<RetentionMarkers | null>;
  /**
   * Requests that may be due: closed at or before `blockCutoff` and not yet blocked, or closed at
   * or before `deleteCutoff` and not yet deleted (ISO instants; the caller decides exactly).
   */
  due(cutoffs: { blockCutoff: string; deleteCutoff: string }): Promise<({ id: string } & RetentionMarkers)[]>;
  markBlocked(requestId: string, at: string): Promise<void>;
  markDeleted(requestId: string, at: string): Promise<void>;
  /** Removes cached machine translations of texts by the hashes they are cached under; returns the rows removed. */
  purgeTranslations(hashes: string[]): Promise<number>;
}
