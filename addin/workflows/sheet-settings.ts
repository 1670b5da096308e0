// What reading a sheet needs from the server before a push: the company's decimal separator and its today.
import { SHEET_SETTINGS } from '../api/documents';
import type { SheetSettingsQuery } from '../api/generated/operations';
import type { ParseOptions } from '../sheets/cells';
import type { WorkflowContext } from './table-io';

/** What the buyer chose for one push. */
export interface PushChoices {
  /** Take truck dates before the company's today (the buyer means a past truck). */
  allowPast?: boolean;
}

/**
 * The parse options of a push: Settings.decimalSeparator and Settings.today, read with the pushing
 * token (every staff role may read them), and the buyer's choices. Also the push's first call: a
 * wrong token or a server that is down is said before anything is read.
 */
export async function parseOptionsOf(ctx: Pick<WorkflowContext, 'api'>, choices: PushChoices = {}): Promise<ParseOptions> {
  const { settings } = await ctx.api.request<SheetSettingsQuery>(SHEET_SETTINGS);
  return {
    decimalSeparator: settings.decimalSeparator === ',' ? ',' : '.',
    today: String(settings.today),
    allowPast: choices.allowPast ?? false,
  };
}
