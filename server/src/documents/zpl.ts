// ZPL II for Zebra thermal printers at 203 dpi (8 dots/mm): a 4x6 in label is 812 x 1218 dots.
import { code128Bars } from './barcode';

export const ZPL_DOTS_PER_INCH = 203;
export const LABEL_WIDTH_DOTS = 812;
export const LABEL_LENGTH_DOTS = 1218;

/**
 * Field data under ^FH (hex escapes with "_"): the ZPL control characters ^ and ~, the escape itself,
 * and every byte of non-ASCII text (UTF-8 under ^CI28) are written as _XX, so no label or name can
 * end a field early or inject a command.
 */
export function zplFieldData(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text.replace(/[\r\n\t]+/g, ' '), 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x20 || byte > 0x7e || char === '^' || char === '~' || char === '_' ? `_${byte.toString(16).toUpperCase().padStart(2, '0')}` : char;
  }
  return out;
}

/** The inverse of zplFieldData (tests and tools read labels back with it). */
export function zplFieldText(data: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === '_' && /^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(data.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Average advance of font 0 per character, as a share of its width parameter (measured on rendered labels, rounded up). */
export const ZPL_FONT0_ADVANCE = 0.55;

/**
 * Scalable font 0 text at (x, y), `height` dots tall, in a block of `width` dots and at most `lines`
 * lines. A printer overprints the last line with whatever does not fit, so text too long is first set
 * smaller (down to 60 %), then cut with "...".
 */
export function zplText(
  x: number,
  y: number,
  text: string,
  options: { height: number; width: number; lines?: number; bold?: boolean; align?: 'L' | 'C' | 'R' },
): string {
  const lines = options.lines ?? 1;
  const ratio = options.bold ? 1.05 : 0.9;
  const fits = (height: number) => Math.floor((options.width * lines) / (height * ratio * ZPL_FONT0_ADVANCE)) - (lines > 1 ? 4 : 0);
  let h = options.height;
  while (h > options.height * 0.6 && text.length > fits(h)) h -= 2;
  const shown = text.length > fits(h) ? `${text.slice(0, Math.max(1, fits(h) - 3))}...` : text;
  const data =
    lines > 1
      ? wrapLines(shown, Math.max(1, Math.floor(options.width / (h * ratio * ZPL_FONT0_ADVANCE))), lines)
          .map(zplFieldData)
          .join('\\&')
      : zplFieldData(shown);
  return `^FO${x},${y}^A0N,${h},${Math.round(h * ratio)}^FB${options.width},${lines},0,${options.align ?? 'L'},0^FH^FD${data}^FS`;
}

/**
 * Lines of at most `perLine` characters, broken at spaces, a word longer than a line cut where it
 * must: a printer's ^FB block only breaks at spaces, and a long word (a vendor's box label) ran off
 * the label's edge.
 */
export function wrapLines(text: string, perLine: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    if (current && current.length + 1 + rest.length <= perLine) {
      current += ` ${rest}`;
      continue;
    }
    if (current) lines.push(current);
    while (rest.length > perLine) {
      lines.push(rest.slice(0, perLine));
      rest = rest.slice(perLine);
    }
    current = rest;
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, Math.max(1, perLine - 3))}...`;
  return kept;
}

/** A black box with white text (^FR reverses the field over it). */
export function zplBand(x: number, y: number, width: number, height: number, text: string, textHeight: number): string {
  return `^FO${x},${y}^GB${width},${height},${height}^FS^FO${x + 16},${y + Math.round((height - textHeight) / 2)}^FR^A0N,${textHeight},${textHeight}^FB${width - 32},1,0,L,0^FH^FD${zplFieldData(text)}^FS`;
}

/**
 * Code 128 of `label`, centred in `width` dots at `x`, `height` dots tall, without the printer's
 * interpretation line (the label is printed large elsewhere). The module width (^BY) is the widest
 * of 1 to 4 dots that fits. Null when Code 128 cannot carry the label.
 */
export function zplCode128(x: number, y: number, label: string, width: number, height: number): string | null {
  const symbol = code128Bars(label);
  if (!symbol) return null;
  const module = Math.max(1, Math.min(4, Math.floor(width / symbol.modules)));
  const left = x + Math.max(0, Math.round((width - symbol.modules * module) / 2)) + 10 * module;
  // ^BC mode A: the printer picks code sets itself, as bwip-js did for the width estimate.
  return `^FO${left},${y}^BY${module},3,${height}^BCN,${height},N,N,N,A^FH^FD${zplFieldData(label)}^FS`;
}

export function zplLabel(fields: string[]): string {
  return ['^XA', '^CI28', `^PW${LABEL_WIDTH_DOTS}`, `^LL${LABEL_LENGTH_DOTS}`, '^LH0,0', ...fields, '^XZ'].join('\n');
}
