/** Values that come back from a form or a button: single values or lists (multi-choice). */
export type Values = Record<string, string | string[]>;

/** One value as text: the first of a list, '' when absent. */
export const one = (values: Values, name: string): string => {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
};

/** A list value; channels send multi-choice as a list or as comma-separated text. */
export const many = (values: Values, name: string): string[] => {
  const v = values[name];
  if (Array.isArray(v)) return v.map(String).filter(Boolean);
  return typeof v === 'string' && v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
};
