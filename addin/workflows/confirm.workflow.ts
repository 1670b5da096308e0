// Confirming marked Staging rows: only rows not confirmed yet are sent, in chunks, each with its idempotency key.
import { CONFIRM_STAGING } from '../api/documents';
import type { ConfirmStagingMutation, ConfirmStagingMutationVariables } from '../api/generated/operations';
import { idempotencyKey } from '../sheets/documents';
import { CHUNK_LINES } from '../sheets/push';
import { confirmUpdates, labelsToConfirm, type ConfirmResult } from '../sheets/staging.sheet';
import { intentOf, problemsOf } from './outcome';
import type { Outcome, WorkflowContext } from './table-io';

/** Results that mean the box left staging: such rows are never sent again, and keep their Result and Invoice #. */
const DONE = new Set(['BILLED', 'CONFIRMED', 'NOT BILLED']);

export async function confirmStaging(ctx: WorkflowContext, preview: boolean): Promise<Outcome> {
  const snapshot = await ctx.tables.read('Staging');
  const { marked, invalid } = labelsToConfirm(snapshot.rows);
  const done = new Set(
    snapshot.rows
      .filter((row) =>
        DONE.has(
          String(row.values.Result ?? '')
            .trim()
            .toUpperCase(),
        ),
      )
      .map((row) => row.row),
  );
  const toSend = marked.filter((m) => !done.has(m.row));
  // A row an earlier run confirmed keeps its Result whatever its Confirm cell says now.
  for (const row of done) invalid.delete(row);
  const before = marked.length - toSend.length;
  const earlier = before ? ` ${before} marked row(s) were confirmed by an earlier run and were not sent again.` : '';
  const unread = invalid.size
    ? ` ${invalid.size} row(s) not sent: Confirm must be Yes (or x, ok, done, ✓ ...) or blank, and a marked row needs its Label.`
    : '';
  if (toSend.length === 0 && invalid.size === 0) {
    const text = marked.length ? `Nothing new to confirm:${earlier}` : 'No row is marked in the Confirm column.';
    return { intent: marked.length ? 'success' : 'warning', text, table: 'Staging', problems: [] };
  }
  const results: ConfirmResult[] = [];
  let replayed = 0;
  for (let i = 0; i < toSend.length; i += CHUNK_LINES) {
    if (ctx.signal?.aborted) break;
    const labels = toSend.slice(i, i + CHUNK_LINES).map((m) => m.label);
    const key = preview ? null : await idempotencyKey('confirmStaging', labels);
    const data = await ctx.api.request<ConfirmStagingMutation>(CONFIRM_STAGING, { labels, dryRun: preview, key } satisfies ConfirmStagingMutationVariables);
    results.push(...data.confirmStaging.results);
    if (data.confirmStaging.replayed) replayed += labels.length;
    ctx.onProgress?.(Math.min(i + CHUNK_LINES, toSend.length), toSend.length);
  }
  const sent = toSend.filter((m) => results.some((r) => r.label === m.label));
  const updates = new Map([...confirmUpdates(sent, results, preview), ...invalid]);
  await ctx.tables.update('Staging', snapshot, updates, { onProgress: ctx.onProgress });
  const errors = results.filter((r) => r.outcome === 'ERROR').length + invalid.size;
  const replay = replayed ? ` This was a replay: the server had already confirmed these ${replayed} box(es) with the same request and wrote nothing new.` : '';
  const cancelled = sent.length < toSend.length ? ` Cancelled: ${toSend.length - sent.length} marked row(s) not sent.` : '';
  return {
    intent: cancelled ? 'warning' : intentOf(results.length - errors + invalid.size, errors),
    text: `${results.length - errors + invalid.size} box(es) ${preview ? 'would be confirmed' : 'confirmed'}, ${errors} error(s).${unread}${earlier}${replay}${cancelled}`,
    table: 'Staging',
    problems: problemsOf(snapshot, updates),
  };
}
