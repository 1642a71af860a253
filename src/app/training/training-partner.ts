import { DEFAULT_TIMEZONES, type Authority } from '../../domain/authority.ts';
import { partnerCountryFor, trainingPartnerId, trainingPartnerUserId } from '../../domain/training.ts';
import type { User } from '../../domain/user.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import type { TrainingDeps } from './training-script.ts';

export interface TrainingPartner {
  authority: Authority;
  /** The simulated official in whose name the partner acts (the lifecycle guard needs a person). */
  official: User;
}

/**
 * The simulated partner authority for a user of `userCountry`: created on first use as a real
 * authority row (requests reference it) flagged as training, so live lists never show it, with one
 * simulated official who holds rights in every area and has no chat identity, so nothing is ever
 * delivered to it.
 */
export async function ensureTrainingPartner(tx: UnitOfWork, deps: TrainingDeps, userCountry: string): Promise<TrainingPartner> {
  const country = partnerCountryFor(userCountry, deps.training.partners.countries);
  const id = trainingPartnerId(country);
  const areas = [...deps.areas.keys()];
  let authority = await tx.authorities.get(id);
  if (!authority) {
    authority = {
      id,
      name: deps.training.partners.name.replace('{{country}}', country),
      country,
      language: deps.training.partners.language,
      timezone: DEFAULT_TIMEZONES[country] ?? 'UTC',
      areas,
      coordinatorId: null,
      contact: {},
      dataReviewedAt: deps.clock.now().toISOString(),
    };
    await tx.authorities.insert(authority);
    await tx.training.markPartner(id);
  } else if (areas.some((a) => !authority!.areas.includes(a))) {
    // A legislative area added since: the partner stays competent for everything.
    authority = { ...authority, areas };
    await tx.authorities.update(authority);
  }
  const officialId = trainingPartnerUserId(country);
  let official = await tx.users.get(officialId);
  if (!official) {
    official = {
      id: officialId,
      authorityId: id,
      name: deps.training.partners.officialName,
      language: deps.training.partners.language,
      roles: ['handler'],
      areas,
      identities: [],
      active: true,
    };
    await tx.users.insert(official);
  } else if (areas.some((a) => !official!.areas.includes(a))) {
    official = { ...official, areas };
    await tx.users.update(official);
  }
  return { authority, official };
}
