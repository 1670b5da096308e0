// Whether the task pane runs inside Excel: Office.js loaded and its host Excel. Opened in a plain web browser
// (the server's address typed in, or a link followed), there is no workbook to read or write.

/** What the task pane says, on its page and for each action, when it is not inside Excel. */
export const OUTSIDE_EXCEL_MESSAGE =
  "This page works inside Excel: open it from Excel's Stemline button (on the Home tab), not in a web browser. Here only the connection can be tested.";

export class OutsideExcelError extends Error {
  constructor() {
    super(OUTSIDE_EXCEL_MESSAGE);
    this.name = 'OutsideExcelError';
  }
}

/** Office.js's Excel API is there to call. */
export function excelApiAvailable(): boolean {
  return typeof Excel !== 'undefined' && typeof Excel.run === 'function';
}

/**
 * Waits for Office.js to say which host it is in; true only for Excel. Without Office.js (blocked, offline,
 * not loaded), or when it does not answer within `timeoutMs`, the page is not in Excel. (In a web browser
 * Office.js answers at once, with no host; the wait is for an Office that never answers.)
 */
export function detectExcelHost(timeoutMs = 20_000): Promise<boolean> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const settle = (info: { host?: unknown } | undefined) => {
      clearTimeout(timer);
      resolve(info?.host === 'Excel' && excelApiAvailable());
    };
    try {
      const ready = Office.onReady((info) => settle(info));
      // Office.js both calls back and resolves; a stand-in may only call back.
      void Promise.resolve(ready).catch(() => settle(undefined));
    } catch {
      settle(undefined);
    }
  });
}
