// A sales manager's decision on the credits of the selected rows of the Credits table: approve, or reject with a reason.
import { APPROVE_CREDIT, REJECT_CREDIT } from '../api/documents';
import type { ApproveCreditMutation, RejectCreditMutation } from '../api/generated/operations';
import { creditStatusMessage } from '../sheets/credits.sheet';
import { idempotencyKey } from '../sheets/documents';
import { excelRow, isBlank, type RowUpdate, type SheetRow } from '../sheets/tables';
import { intentOf, problemsOf } from './outcome';
import type { Outcome, WorkflowContext } from './table-io';

export type CreditDecision = { action: 'approve' } | { action: 'reject'; reason: string };

const numberOf = (row: SheetRow) => (isBlank(row.values['Credit #']) ? '' : String(row.values['Credit #']).trim().toUpperCase());

/** The credits of the selected rows, once each in sheet order, and the selected rows that have no Credit # yet. */
export function selectedCredits(selected: SheetRow[]): { numbers: string[]; unnumbered: SheetRow[] } {
  const numbers = [...new Set(selected.map(numberOf).filter(Boolean))];
  return { numbers, unnumbered: selected.filter((row) => !numberOf(row)) };
}

/**
 * Approves or rejects (with its reason) every credit a selected row belongs to, each on its own: a credit
 * that is no longer PENDING, or that the server refuses, is told on its rows and the others go through.
 * Every row of a decided credit, selected or not, gets its Status and Message.
 */
export async function decideCredits(ctx: WorkflowContext, selected: SheetRow[], decision: CreditDecision): Promise<Outcome> {
  const verb = decision.action === 'approve' ? 'approve' : 'reject';
  if (selected.length === 0)
    return {
      intent: 'warning',
      text: `Select rows of the Credits table first (any cell of each credit's rows): the credits they belong to are the ones to ${verb}. Nothing was changed.`,
      table: 'Credits',
      problems: [],
    };
  const { numbers, unnumbered } = selectedCredits(selected);
  const skipped = unnumbered.length ? ` Row(s) ${unnumbered.map(excelRow).join(', ')} have no Credit #: push them first.` : '';
  if (numbers.length === 0)
    return { intent: 'warning', text: `None of the selected rows has a Credit #: push the credits first, then ${verb} them.`, table: 'Credits', problems: [] };
  const reason = decision.action === 'reject' ? decision.reason.trim() : '';
  if (decision.action === 'reject' && !reason)
    return {
      intent: 'warning',
      text: 'Type why these credits are rejected (the reason is kept with each credit), then Reject again. Nothing was changed.',
      table: 'Credits',
      problems: [],
    };

  const results = new Map<string, RowUpdate>();
  let done = 0;
  for (const number of numbers) {
    if (ctx.signal?.aborted) break;
    // The version the sheet holds is in the key: the same click retried replays, a decision on a credit changed since is a new call.
    const version = selected.find((row) => numberOf(row) === number)?.values.Version ?? null;
    const key = await idempotencyKey(`${verb}Credit`, { number, reason, version });
    let payload: ApproveCreditMutation['approveCredit'] | RejectCreditMutation['rejectCredit'];
    try {
      payload =
        decision.action === 'approve'
          ? (await ctx.api.request<ApproveCreditMutation>(APPROVE_CREDIT, { number, key })).approveCredit
          : (await ctx.api.request<RejectCreditMutation>(REJECT_CREDIT, { number, reason, key })).rejectCredit;
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== 'FORBIDDEN') throw error;
      const why = error instanceof Error ? ` (${error.message})` : '';
      return {
        intent: 'error',
        text: `Only a sales manager (or an administrator) may ${verb} credits: this token may not${why}. Nothing was changed.`,
        table: 'Credits',
        problems: [],
      };
    }
    results.set(
      number,
      payload.errors.length
        ? { Status: 'ERROR', Message: payload.errors.map((e) => e.message).join('; ') }
        : {
            Status: 'OK',
            Message: creditStatusMessage({ status: payload.credit?.status ?? '', rejectionReason: reason, voidReason: null, approvedBy: null }),
            Version: payload.credit?.version ?? null,
          },
    );
    ctx.onProgress?.(++done, numbers.length);
  }
  // Written on every row of each decided credit: the selection may hold only one of its rows.
  const snapshot = await ctx.tables.read('Credits');
  const updates = new Map<number, RowUpdate>();
  for (const row of snapshot.rows) {
    const result = results.get(numberOf(row));
    if (result) updates.set(row.row, result);
  }
  await ctx.tables.update('Credits', snapshot, updates);
  const failed = [...results.values()].filter((r) => r.Status === 'ERROR').length;
  const ok = results.size - failed;
  const decided = [...results].filter(([, r]) => r.Status === 'OK').map(([n]) => n);
  const text = `${ok} credit(s) ${verb === 'approve' ? 'approved' : 'rejected'}${decided.length ? `: ${decided.join(', ')}` : ''}${failed ? `; ${failed} refused (see Message)` : ''}.${skipped}${
    results.size < numbers.length ? ` Cancelled: ${numbers.length - results.size} not sent.` : ''
  }`;
  return { intent: intentOf(ok, failed), text, table: 'Credits', problems: problemsOf(snapshot, updates) };
}
