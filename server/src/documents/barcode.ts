import bwipjs from 'bwip-js/node';

/** Quiet zone each side of a Code 128 symbol, in modules (the standard asks for at least 10). */
export const QUIET_ZONE_MODULES = 10;

/**
 * The bars and spaces of `text` in Code 128, as widths in modules (bar, space, bar, ...), from bwip-js
 * (which picks code sets A/B/C for the shortest symbol). Null when Code 128 cannot carry the text
 * (characters outside ASCII): the caller prints the label as text only.
 */
export function code128Widths(text: string): number[] | null {
  if (!text || /[^\x20-\x7e]/.test(text)) return null;
  try {
    const [symbol] = bwipjs.raw('code128', text, {}) as unknown as Array<{ sbs: number[] }>;
    return symbol?.sbs ?? null;
  } catch {
    return null;
  }
}

export interface Bar {
  /** Offset from the symbol's left edge (quiet zone included), in modules. */
  x: number;
  width: number;
}

/** The symbol as bars with their positions, and its total width in modules (quiet zones included). */
export function code128Bars(text: string): { bars: Bar[]; modules: number } | null {
  const widths = code128Widths(text);
  if (!widths) return null;
  const bars: Bar[] = [];
  let x = QUIET_ZONE_MODULES;
  widths.forEach((width, index) => {
    if (index % 2 === 0) bars.push({ x, width });
    x += width;
  });
  return { bars, modules: x + QUIET_ZONE_MODULES };
}
