import type { Store } from '../app/ports/repositories.ts';
import type { User } from '../domain/user.ts';

/**
 * A store for one turn that answers the reads a turn repeats from what the turn already read.
 *
 * Why: one turn reads the speaker, their authority and their onboarding state several times over
 * (identify, the preface, then the use case: the inbox, a request card), and every read is a round
 * trip through the single database connection that all turns share. A turn lasts milliseconds, so
 * what it read a moment ago is as current as a second read would be, and the turn already acts on
 * the speaker it identified at its start.
 *
 * A turn still sees its own writes: a write through this store forgets what it may have changed,
 * a transaction or a method not listed here forgets everything. Nothing outlives the turn.
 */
export interface TurnStore extends Store {
  /** The speaker as identified at the start of the turn, so use cases asking for them by id need no query. */
  rememberUser(user: User): void;
}

/** The groups of memoised reads; a write forgets the groups it may change. */
type Group = 'users' | 'authorities' | 'onboarding';

/** The reads answered from memory, by the group their rows belong to. */
const MEMOISED: Record<string, Group> = {
  'users.get': 'users',
  'authorities.get': 'authorities',
  'authorities.list': 'authorities',
  'onboarding.state': 'onboarding',
};

/** Reads that go to the database each time but change nothing, so they keep the memo. */
const READS = new Set([
  'users.byIdentity', 'users.ofAuthority', 'users.list',
  'requests.get', 'requests.list',
  'history.of',
  'retention.markers',
  'onboarding.usersReviewed',
  'training.isPartner', 'training.partnerIds', 'training.requestsOf', 'training.ownerOf',
  'outbox.list', 'outbox.deliveredTo',
  'reminders.lastSeen',
]);

/** Writes whose reach is known: the groups they may change (none: they touch no memoised row). */
const WRITES: Record<string, Group[]> = {
  // Only ever adds an empty row for a user without one: their state reads the same before and after.
  'onboarding.markSeen': [],
  'onboarding.saveState': ['onboarding'],
  'users.setLanguage': ['users'],
  // Which requests a user has looked at (request_seen): no memoised row.
  'reminders.markSeen': [],
};

const ALL: Group[] = ['users', 'authorities', 'onboarding'];

type Method = (...args: unknown[]) => Promise<unknown>;

/** What one turn has read, by group and call. */
class Memo {
  private readonly groups = new Map<Group, Map<string, Promise<unknown>>>();

  entries(group: Group): Map<string, Promise<unknown>> {
    let entries = this.groups.get(group);
    if (!entries) this.groups.set(group, (entries = new Map()));
    return entries;
  }

  forget(groups: Group[]): void {
    for (const g of groups) this.groups.get(g)?.clear();
  }

  read(group: Group, key: string, run: () => Promise<unknown>): Promise<unknown> {
    const entries = this.entries(group);
    let pending = entries.get(key);
    if (!pending) {
      pending = run();
      entries.set(key, pending);
      // A failed read is not remembered: the next one asks again.
      const mine = pending;
      mine.catch(() => {
        if (entries.get(key) === mine) entries.delete(key);
      });
    }
    return pending;
  }

  /** Runs a write, forgetting before (reads that start meanwhile are not kept) and after. */
  async write<T>(groups: Group[], run: () => Promise<T>): Promise<T> {
    this.forget(groups);
    try {
      return await run();
    } finally {
      this.forget(groups);
    }
  }
}

const MEMO = Symbol('memo');
type Wrapped = { [MEMO]: Memo };

/** A repository's methods, reading the turn's memo from `this`; built once per store, shared by its turns. */
function repositoryPrototype(name: string, repo: Record<string, unknown>): object {
  const proto: Record<string, unknown> = {};
  for (const [method, value] of Object.entries(repo)) {
    if (typeof value !== 'function') continue;
    const fn = value as Method;
    const call = `${name}.${method}`;
    const group = MEMOISED[call];
    if (group) {
      proto[method] = function (this: Wrapped, ...args: unknown[]) {
        return this[MEMO].read(group, `${method}:${JSON.stringify(args)}`, () => fn.apply(repo, args));
      };
    } else if (READS.has(call)) {
      proto[method] = (...args: unknown[]) => fn.apply(repo, args);
    } else {
      const groups = WRITES[call] ?? ALL;
      proto[method] = function (this: Wrapped, ...args: unknown[]) {
        return this[MEMO].write(groups, () => fn.apply(repo, args));
      };
    }
  }
  return proto;
}

interface TurnStoreState extends Wrapped {
  repositories: Map<string, object>;
}

/**
 * The prototype of a store's turn stores: the store itself underneath (ping, status, the knex
 * handle…), and over it each repository and `transaction` going through the turn's memo.
 */
function storePrototype(store: Store): object {
  const proto = Object.create(store) as Record<string | symbol, unknown>;
  for (const [name, value] of Object.entries(store)) {
    // Repositories are plain objects of methods; anything else passes through.
    if (value === null || typeof value !== 'object' || !Object.values(value).some((v) => typeof v === 'function')) continue;
    const repoProto = repositoryPrototype(name, value as Record<string, unknown>);
    Object.defineProperty(proto, name, {
      get(this: TurnStoreState) {
        let repo = this.repositories.get(name);
        if (!repo) {
          repo = Object.create(repoProto) as object;
          (repo as Wrapped)[MEMO] = this[MEMO];
          this.repositories.set(name, repo);
        }
        return repo;
      },
    });
  }
  proto.transaction = function (this: TurnStoreState, work: Parameters<Store['transaction']>[0]) {
    return this[MEMO].write(ALL, () => store.transaction(work));
  };
  proto.rememberUser = function (this: TurnStoreState, user: User) {
    this[MEMO].entries('users').set(`get:${JSON.stringify([user.id])}`, Promise.resolve(user));
  };
  return proto;
}

const prototypes = new WeakMap<Store, object>();

export function turnStore(store: Store): TurnStore {
  let proto = prototypes.get(store);
  if (!proto) prototypes.set(store, (proto = storePrototype(store)));
  const state = Object.create(proto) as TurnStoreState;
  state[MEMO] = new Memo();
  state.repositories = new Map();
  return state as unknown as TurnStore;
}
