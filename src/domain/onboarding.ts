import { DateTime } from 'luxon';

/** How long a confirmation (authority data reviewed, users who left removed) stays valid. */
export const REVIEW_VALID_MONTHS = 12;

/** The checklist of a new user, after the seed brochure; each item names the chat action that completes it. */
export const ONBOARDING_ITEMS = [
  { id: 'review-tasks', action: 'inbox' },
  { id: 'foreign-authorities', action: 'partners' },
  { id: 'backup-colleague', action: 'admin.users' },
  { id: 'authority-data', action: 'admin.authority' },
  { id: 'training', action: 'training' },
  { id: 'users-removed', action: 'admin.users' },
] as const;

export type OnboardingItemId = (typeof ONBOARDING_ITEMS)[number]['id'];

export interface ChecklistItem {
  id: OnboardingItemId;
  /** The chat action (button or command) that completes the item. */
  action: string;
  done: boolean;
  /** When it was done, if the data tells. */
  doneAt: string | null;
  /** When a yearly confirmation runs out (and the item is due again). */
  dueAgainAt: string | null;
  /** For the backup item: the user's areas without another active handler. */
  missingAreas?: string[];
}

/** What the data says about a user's start; gathered by the use case, judged here. */
export interface OnboardingFacts {
  now: Date;
  inboxOpenedAt: string | null;
  partnersViewedAt: string | null;
  /** The areas the user handles requests in (empty for coordinators and admins without the handler role). */
  handledAreas: string[];
  /** Per handled area, how many other active handlers of the authority hold rights in it. */
  backupsByArea: Record<string, number>;
  dataReviewedAt: string | null;
  trainingCompletedAt: string | null;
  usersReviewedAt: string | null;
}

/** When a yearly confirmation made at `at` runs out. */
export const reviewExpiry = (at: string): string =>
  DateTime.fromISO(at, { zone: 'utc' }).plus({ months: REVIEW_VALID_MONTHS }).toISO()!;

/** A confirmation counts while it is younger than a year. */
const yearly = (at: string | null, now: Date) => {
  if (!at) return { done: false, doneAt: null, dueAgainAt: null };
  const due = reviewExpiry(at);
  return { done: DateTime.fromISO(due) > DateTime.fromJSDate(now), doneAt: at, dueAgainAt: due };
};

/**
 * The checklist, ticked from data wherever data can tell: nothing here is ticked by hand except
 * the local admin's yearly confirmation that users who left were removed. Items that cannot apply
 * (a backup for someone who handles no area) are left out.
 */
export function onboardingChecklist(f: OnboardingFacts): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  for (const { id, action } of ONBOARDING_ITEMS) {
    const base = { id, action, dueAgainAt: null } as const;
    switch (id) {
      case 'review-tasks':
        items.push({ ...base, done: f.inboxOpenedAt !== null, doneAt: f.inboxOpenedAt });
        break;
      case 'foreign-authorities':
        items.push({ ...base, done: f.partnersViewedAt !== null, doneAt: f.partnersViewedAt });
        break;
      case 'backup-colleague': {
        if (f.handledAreas.length === 0) break;
        const missingAreas = f.handledAreas.filter((a) => (f.backupsByArea[a] ?? 0) === 0);
        items.push({ ...base, done: missingAreas.length === 0, doneAt: null, missingAreas });
        break;
      }
      case 'authority-data':
        items.push({ id, action, ...yearly(f.dataReviewedAt, f.now) });
        break;
      case 'training':
        items.push({ ...base, done: f.trainingCompletedAt !== null, doneAt: f.trainingCompletedAt });
        break;
      case 'users-removed':
        items.push({ id, action, ...yearly(f.usersReviewedAt, f.now) });
        break;
    }
  }
  return items;
}
