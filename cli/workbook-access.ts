// Whether the tool may write a buyer's workbook, and where results go when it cannot.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Exit code of a push (or confirm) the server took whose results could not be written into the workbook: they are in resultsPathFor(file). */
export const EXIT_RESULTS_ELSEWHERE = 3;

/** The workbook cannot be written: nothing was sent. */
export class WorkbookNotWritableError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`close ${path.basename(file)} in Excel first (${reason}); nothing was sent`);
  }
}

/** The lock file Excel (`~$name.xlsx`) or LibreOffice (`.~lock.name.xlsx#`) keeps beside a workbook it has open, if there is one. */
export async function lockFileBeside(file: string): Promise<string | null> {
  const { dir, base } = path.parse(file);
  // Excel names it ~$ and the whole file name (Word shortens long names; Excel does not, and a shortened
  // name could be another workbook's lock).
  const candidates = [`~$${base}`, `.~lock.${base}#`].map((name) => path.join(dir, name));
  for (const candidate of candidates) {
    if (
      await fs.stat(candidate).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return candidate;
  }
  return null;
}

function errorCode(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

/**
 * Refuses a workbook the tool could not write its results into, before anything is sent: one that
 * Excel or LibreOffice has open (its lock file is beside it), or that cannot be opened for writing.
 */
export async function checkWritable(file: string): Promise<void> {
  const lock = await lockFileBeside(file);
  if (lock)
    throw new WorkbookNotWritableError(file, `it is open: ${path.basename(lock)} is beside it; if Excel or LibreOffice is not running, delete that file`);
  const handle = await fs.open(file, 'r+').catch((error: unknown) => {
    const code = errorCode(error);
    if (code === 'ENOENT') return null;
    const why =
      code === 'EISDIR'
        ? 'it is a folder'
        : code === 'EACCES' || code === 'EPERM' || code === 'EBUSY'
          ? 'it cannot be written'
          : `it cannot be written: ${code || String(error)}`;
    throw new WorkbookNotWritableError(file, why);
  });
  await handle?.close();
}

/** A failed save of the workbook as the buyer reads it (no system error code alone). */
export function saveFailure(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EBUSY') return 'it is open in another program or read-only';
  if (code === 'EISDIR') return 'a folder has its name';
  if (code === 'ENOSPC') return 'the disk is full';
  return error instanceof Error ? error.message : String(error);
}
