// Renders workbooks as LibreOffice prints them (soffice headless) and reads the PDF back with poppler:
// the invoice tests and npm run docs:pictures.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The PDF LibreOffice prints from an .xlsx, in `dir`. Each call has its own LibreOffice profile, so runs never collide. */
export async function renderPdf(xlsx: string, dir: string): Promise<string> {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'lo-profile-'));
  try {
    await run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, xlsx], { timeout: 120_000 });
  } finally {
    await fs.rm(profile, { recursive: true, force: true });
  }
  const pdf = path.join(dir, `${path.basename(xlsx, path.extname(xlsx))}.pdf`);
  await fs.access(pdf);
  return pdf;
}

export async function pdfPages(pdf: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [pdf]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

/** The text of one page (1-based), or of the whole document. */
export async function pdfText(pdf: string, page?: number): Promise<string> {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  const { stdout } = await run('pdftotext', ['-layout', ...range, pdf, '-']);
  return stdout;
}

/** A PNG of one page (1-based) at `dpi`, for a person to look at. */
export async function pdfPng(pdf: string, page: number, out: string, dpi = 80): Promise<string> {
  // A fresh clone has no test-results/ yet.
  await fs.mkdir(path.dirname(out), { recursive: true });
  await run('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf, out.replace(/\.png$/, '')]);
  return out;
}
