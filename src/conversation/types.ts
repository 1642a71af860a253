import type { Channel } from '../domain/user.ts';

/**
 * The channel port. A channel (Teams, Slack, web chat) turns a platform event into a Turn,
 * hands it to the conversation, and renders the RenderedReply it gets back in its own way
 * (Adaptive Cards, Block Kit, HTML). Nothing in here knows any platform's JSON.
 */

/** Text by i18n key; parameters may themselves be texts (an area name, a status). */
export interface Text {
  key: string;
  params?: Record<string, string | number | null | TextLike>;
}

/** A literal the user or the data supplied (a name, a request id): never translated. */
export interface Verbatim {
  verbatim: string;
}

export type TextLike = Text | Verbatim;

export type Tone = 'info' | 'success' | 'warning' | 'danger' | 'neutral';

export interface Button<T = TextLike> {
  /** What pressing it does, e.g. "request.accept"; comes back as Turn.action.id. */
  action: string;
  label: T;
  /** Values sent back with the action, e.g. { requestId, version }. */
  value?: Record<string, string>;
  style?: 'primary' | 'danger' | 'default';
}

export type FieldType = 'choice' | 'multi-choice' | 'date' | 'text' | 'long-text';

export interface FormField<T = TextLike> {
  name: string;
  label: T;
  type: FieldType;
  required?: boolean;
  options?: { value: string; label: T }[];
  /** Current value: what the user typed before, so nothing is lost on a validation error. */
  value?: string | string[];
  maxLength?: number;
  hint?: T;
  /** Set when the last submission had a problem with this field. */
  error?: T;
  /** Earliest allowed date for date fields (YYYY-MM-DD). */
  min?: string;
}

export type Block<T = TextLike> =
  | { kind: 'text'; text: T; tone?: Tone }
  | {
      kind: 'card';
      title: T;
      subtitle?: T;
      badge?: { text: T; tone: Tone };
      fields: { label: T; value: T }[];
      sections?: { title: T; body: T; note?: T }[];
      actions: Button<T>[];
      /** The request the card shows and the version it showed, so a stale card can be recognised. */
      ref?: { requestId: string; version: number };
      /**
       * A picture that sums the card up (a chart). `url` may be relative to the server's root
       * ("/charts/….png"): channels that need an absolute URL prefix their public base URL, and
       * leave the image out without one. `alt` says in words what the picture shows.
       */
      image?: { url: string; alt: T };
    }
  | {
      kind: 'form';
      /** The action the form submits to; its field values come back in Turn.action.values. */
      action: string;
      title: T;
      intro?: T;
      fields: FormField<T>[];
      submitLabel: T;
      /** Hidden values sent back with the submission (e.g. a draft id). */
      context?: Record<string, string>;
      cancel?: Button<T>;
    }
  | {
      kind: 'list';
      title: T;
      items: { text: T; detail?: T; tone?: Tone; actions?: Button<T>[] }[];
      empty?: T;
      more?: Button<T>;
    };

/** What the conversation answers with, before translation. */
export interface Reply {
  blocks: Block[];
}

/** A reply with every text resolved to the user's language: what channels render. */
export interface RenderedReply {
  lang: string;
  blocks: Block<string>[];
  /** Set when the reply answers an action on a card, so channels update that card in place. */
  replacesCard?: boolean;
}

/** One thing a user did on a channel. */
export interface Turn {
  channel: Channel;
  /** The user's id on the channel: Slack `team:user`, Teams `tenant:aadObjectId`, web login. */
  externalId: string;
  /** The platform's idea of the user's language, e.g. "de-DE". */
  locale?: string;
  /** The Slack workspace or Teams tenant, to tell an unregistered user whom to ask. */
  workspace?: string;
  text?: string;
  action?: { id: string; values: Record<string, string | string[]> };
}

/** What a channel calls: one turn in, one reply out. */
export interface ConversationPort {
  handle(turn: Turn): Promise<RenderedReply>;
  /** The greeting for a user who just installed the bot or opened the chat (onboarding first steps). */
  welcome(turn: Omit<Turn, 'text' | 'action'>): Promise<RenderedReply>;
}

/** What channels keep across instances and restarts, without touching the store themselves. */
export interface ChannelStatePort {
  /** True the first time a platform delivery key (Slack event_id, Teams activity id) is seen. */
  firstDelivery(key: string): Promise<boolean>;
  /** Stores how to reach a user unprompted (Teams conversation reference, Slack DM channel). */
  rememberAddress(channel: Channel, externalId: string, address: unknown): Promise<void>;
  addressOf(channel: Channel, externalId: string): Promise<{ address: unknown; staleReason: string | null } | null>;
  /** Marks an address unusable (the user uninstalled the app); delivery reports it instead of retrying. */
  markAddressStale(channel: Channel, externalId: string, reason: string): Promise<void>;
}

export type SendOutcome =
  | { ok: true }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/** A channel's way of reaching a user unprompted (a DM, a proactive message, the web chat's feed). */
export interface ChannelSender {
  channel: Channel;
  /** Sends a rendered message to the user known on this channel as `externalId`. */
  send(externalId: string, reply: RenderedReply): Promise<SendOutcome>;
}

/** A person the local web chat lets you sign in as (demo and local use only). */
export interface SignInChoice {
  /** The web login, which is the Turn.externalId on the web channel. */
  login: string;
  name: string;
  authority: string;
  country: string;
  roles: string[];
  language: string | null;
}

/** What the web chat needs besides turns: its sign-in list and the user's notification feed. */
export interface WebChatPort {
  signInChoices(): Promise<SignInChoice[]>;
  /** Whether a login belongs to an active user with a web identity. */
  canSignIn(login: string): Promise<boolean>;
  /** Notifications delivered to the user's web feed after `afterId`, rendered in their language. */
  feed(login: string, afterId: number): Promise<{ id: number; at: string; reply: RenderedReply }[]>;
}
