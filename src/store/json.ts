/** JSON columns are text in both engines, so the same queries serve sqlite and PostgreSQL. */
export const toJson = (value: unknown): string => JSON.stringify(value);

export const fromJson = <T>(text: unknown): T => (typeof text === 'string' ? JSON.parse(text) : text) as T;

/** sqlite hands booleans back as 0/1. */
export const toBool = (v: unknown): boolean => v === true || v === 1 || v === '1';
