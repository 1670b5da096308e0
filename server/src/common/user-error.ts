import type { ErrorCode } from '../generated/graphql';

export type { ErrorCode };

/** An expected failure, returned in a payload's `errors` (never thrown). */
export interface UserError {
  code: ErrorCode;
  message: string;
  /** 1-based position in the input list. */
  row?: number | null;
  field?: string | null;
  /** For an unknown code: the codes most like it, best first (common/suggestions). */
  suggestions?: string[] | null;
}

export function userError(code: ErrorCode, message: string, row?: number, field?: string): UserError {
  return { code, message, row: row ?? null, field: field ?? null };
}
