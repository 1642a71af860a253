/** A legislative area: the law under which authorities exchange information, and its question set. */
export interface LegislativeArea {
  id: string;
  /** The EU acts the area rests on, e.g. "Directive 2005/36/EC". */
  legalBasis: string[];
  /** Days a requester is offered by default for an answer. */
  defaultDeadlineDays: number;
  /** Whether the area counts deadlines in working days (Monday to Friday) rather than calendar days. */
  workingDays: boolean;
  /** Working days a responder has to accept before the acceptance reminder. */
  acceptWithinDays: number;
  /** Stable question ids, translated in locales/<lang>/domain.json under "question". */
  questions: string[];
}

export type AreaCatalog = ReadonlyMap<string, LegislativeArea>;

export const catalogOf = (areas: LegislativeArea[]): AreaCatalog => new Map(areas.map((a) => [a.id, a]));
