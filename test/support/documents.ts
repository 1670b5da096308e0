import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zplFieldText } from '../../server/src/documents/zpl';

/** Renders every page of a PDF to PNG with poppler's pdftoppm: the files, in page order. */
export function pdfPages(pdf: Buffer, dpi = 150): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-pdf-'));
  fs.writeFileSync(path.join(dir, 'doc.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', path.join(dir, 'doc.pdf'), path.join(dir, 'page')]);
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.png'))
    .sort((a, b) => Number(/(\d+)\.png$/.exec(a)![1]) - Number(/(\d+)\.png$/.exec(b)![1]))
    .map((file) => path.join(dir, file));
}

/** The barcodes zbarimg finds on each image, as "TYPE:data", per file in the order given. */
export function decodeBarcodes(files: string[]): string[][] {
  let xml = '';
  try {
    xml = execFileSync('zbarimg', ['-q', '--xml', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    // zbarimg exits 4 when some image has no barcode; its output still lists the others.
    xml = String((error as { stdout?: string }).stdout ?? '');
  }
  const byFile = new Map<string, string[]>();
  for (const source of xml.matchAll(/<source href='([^']*)'>([\s\S]*?)<\/source>/g)) {
    const symbols = [...source[2].matchAll(/<symbol type='([^']*)'[\s\S]*?<data[^>]*><!\[CDATA\[([\s\S]*?)\]\]><\/data>/g)].map((m) => `${m[1]}:${m[2]}`);
    byFile.set(source[1], symbols);
  }
  return files.map((file) => byFile.get(file) ?? []);
}

/** Pages of a PDF with the barcodes decoded on each. */
export function pdfBarcodes(pdf: Buffer, dpi = 150): string[][] {
  return decodeBarcodes(pdfPages(pdf, dpi));
}

export interface ZplLabel {
  /** Field data of every ^FD, unescaped (^FH), in order. */
  texts: string[];
  /** The data of each ^BC (Code 128) field. */
  code128: string[];
  /** Other commands seen, such as ^PW812. */
  commands: string[];
}

/** Parses ZPL into its ^XA...^XZ labels; throws on text outside a label or a label left open. */
export function parseZpl(zpl: string): ZplLabel[] {
  const labels: ZplLabel[] = [];
  let rest = zpl;
  while (rest.trim()) {
    const start = rest.indexOf('^XA');
    if (start < 0 || rest.slice(0, start).trim()) throw new Error(`text outside a label: ${rest.slice(0, 40)}`);
    const end = rest.indexOf('^XZ', start);
    if (end < 0) throw new Error('a label is not closed by ^XZ');
    const body = rest.slice(start + 3, end);
    rest = rest.slice(end + 3);
    if (body.includes('^XA')) throw new Error('a label opens inside another');
    const label: ZplLabel = { texts: [], code128: [], commands: [] };
    // Fields: [^FO..][^A..|^BY..^BC..][^FB..][^FR][^FH]^FD<data>^FS
    for (const field of body.matchAll(/\^FO\d+,\d+((?:\^(?!FD)[A-Z0-9@]{2}[^\^]*)*)\^FD([^\^]*)\^FS/g)) {
      const hex = field[1].includes('^FH');
      const data = hex ? zplFieldText(field[2]) : field[2];
      if (/\^BC/.test(field[1])) label.code128.push(data);
      // A ^FB block's lines are separated by \& (a printer's line break): read back as one text.
      else label.texts.push(/\^FB/.test(field[1]) ? data.split('\\&').join(' ') : data);
    }
    label.commands = [...body.matchAll(/\^([A-Z0-9@]{2})([^\^\n]*)/g)].map((m) => `^${m[1]}${m[2]}`.trim());
    labels.push(label);
  }
  return labels;
}
