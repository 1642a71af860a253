import type { ErrorCode } from './errors.ts';

/** An expected failure: a stable code plus the values a message needs. */
export interface DomainError {
  code: ErrorCode;
  params?: Record<string, string | number>;
  /** The form field the error belongs to, when it comes from user input. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(
  code: ErrorCode,
  params?: DomainError['params'],
  field?: string,
): Result<T> => ({ ok: false, error: { code, ...(params ? { params } : {}), ...(field ? { field } : {}) } });
