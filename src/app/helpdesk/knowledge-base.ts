/** Whom an answer sends the user to; the use case fills in the real person from the database. */
export const CONTACT_ROLES = ['coordinator', 'national_coordinator', 'local_admin', 'helpdesk'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** Placeholders an answer template may use; each is filled from the asker's data or the language's fallback. */
export const PLACEHOLDERS = [
  'userName',
  'authorityName',
  'coordinatorName',
  'coordinatorAuthority',
  'coordinatorContact',
  'nationalCoordinatorName',
  'nationalCoordinatorAuthority',
  'nationalCoordinatorContact',
  'localAdmins',
  'helpdesk',
  'areas',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** One question–answer pair of the helpdesk, the same id in every language. */
export interface KbEntry {
  id: string;
  contact: ContactRole;
  /** Ways people ask it; the first is the one shown as a suggestion. */
  questions: string[];
  /** Words people use for the topic that the phrasings may not contain. */
  keywords: string[];
  /** A template with {{placeholders}} and {{cmd.name}} for chat commands. */
  answer: string;
  /** The answer for users whose coordinator is the national coordinator, so it is not named twice. */
  answerNationalOnly?: string;
}

/** The knowledge base of one language (data/faq/<lang>.json). */
export interface LanguageKb {
  language: string;
  /** Words of the generic stop-word list that carry meaning here and must stay searchable. */
  stopWordExceptions: string[];
  /** What a placeholder says when the asker is unknown or the data has no value. */
  fallbacks: Record<Placeholder, string>;
  /** The chat command words in this language, for {{cmd.name}}. */
  commands: Record<string, string>;
  entries: KbEntry[];
}

/** Every language's knowledge base; English is the reference every other language falls back to. */
export type KnowledgeBase = LanguageKb[];

/** Fills {{name}} and {{cmd.name}} in a template; unknown names become empty, never a raw brace. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
}
