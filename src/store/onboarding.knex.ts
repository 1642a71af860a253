import type { Knex } from 'knex';
import type { OnboardingRepository, TrainingRepository } from '../app/ports/helpdesk.repository.ts';
import { nextInSequence } from './helpdesk.knex.ts';
import { toBool } from './json.ts';

type Db = Knex | Knex.Transaction;

/** Users known to have a user_onboarding row, per database handle. */
const metUsers = new WeakMap<Db, Set<string>>();
const metOn = (db: Db): Set<string> => {
  let known = metUsers.get(db);
  if (!known) metUsers.set(db, (known = new Set()));
  return known;
};

export const onboardingRepository = (db: Db): OnboardingRepository => ({
  async state(userId) {
    const r = await db('user_onboarding').where({ user_id: userId }).first();
    return {
      userId,
      inboxOpenedAt: (r?.inbox_opened_at as string | null) ?? null,
      partnersViewedAt: (r?.partners_viewed_at as string | null) ?? null,
      trainingMode: r ? toBool(r.training_mode) : false,
      trainingStartedAt: (r?.training_started_at as string | null) ?? null,
    };
  },
  async saveState(s) {
    await db('user_onboarding')
      .insert({
        user_id: s.userId,
        inbox_opened_at: s.inboxOpenedAt,
        partners_viewed_at: s.partnersViewedAt,
        training_mode: s.trainingMode,
        training_started_at: s.trainingStartedAt,
      })
      .onConflict('user_id')
      .merge();
  },
  async markSeen(userId) {
    // Every turn asks; a user met once stays met (rows are never deleted), so the answer is kept per database.
    const known = metOn(db);
    if (known.has(userId)) return false;
    // Any row means the user was met before (an opened inbox, training); a new one starts empty.
    const met = Boolean(await db('user_onboarding').where({ user_id: userId }).first('user_id'));
    if (!met) await db('user_onboarding').insert({ user_id: userId, training_mode: false }).onConflict('user_id').ignore();
    known.add(userId);
    return !met;
  },
  async usersReviewed(authorityId) {
    const r = await db('authority_user_reviews').where({ authority_id: authorityId }).first();
    return r ? { at: r.reviewed_at as string, by: r.reviewed_by as string } : null;
  },
  async confirmUsersReviewed(authorityId, at, by) {
    await db('authority_user_reviews')
      .insert({ authority_id: authorityId, reviewed_at: at, reviewed_by: by })
      .onConflict('authority_id')
      .merge();
  },
});

export const trainingRepository = (db: Db): TrainingRepository => ({
  async markPartner(authorityId) {
    await db('authorities').where({ id: authorityId }).update({ training: true });
  },
  async isPartner(authorityId) {
    const r = await db('authorities').where({ id: authorityId, training: true }).first('id');
    return Boolean(r);
  },
  async partnerIds() {
    return (await db('authorities').where({ training: true }).orderBy('id').select('id')).map((r) => r.id as string);
  },
  nextNumber: (year) => nextInSequence(db, `training-${year}`),
  async link(requestId, userId, at) {
    await db('training_requests').insert({ request_id: requestId, user_id: userId, created_at: at }).onConflict('request_id').ignore();
  },
  async requestsOf(userId) {
    return (await db('training_requests').where({ user_id: userId }).orderBy('request_id').select('request_id')).map((r) => r.request_id as string);
  },
  async ownerOf(requestId) {
    const r = await db('training_requests').where({ request_id: requestId }).first('user_id');
    return (r?.user_id as string | undefined) ?? null;
  },
  async deleteRequests(ids) {
    if (ids.length === 0) return 0;
    // Only rows flagged as training: a wrong id can never delete a live request.
    const training = (await db('requests').whereIn('id', ids).andWhere('training', true).select('id')).map((r) => r.id as string);
    if (training.length === 0) return 0;
    await db('request_history').whereIn('request_id', training).delete();
    await db('training_requests').whereIn('request_id', training).delete();
    await db('requests').whereIn('id', training).delete();
    return training.length;
  },
});
