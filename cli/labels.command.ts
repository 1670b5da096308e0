// stemline-sheet labels: box labels, shipping labels or a pick ticket from the server, into a .pdf or .zpl file.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DocumentRequestError, fetchDocument } from '../addin/api/documents-client';
import { ConnectionError, findConnection } from './connection';

export const LABELS_USAGE = `  stemline-sheet labels --out <file.pdf|file.zpl> (--po PO-000001 | --shipment ID | --labels B-000001,B-000002 | --staging [--vendor CODE] [--customer CODE] [--awb AWB])
  stemline-sheet labels --shipping --out <file.pdf|file.zpl> (--invoice INV-000001 | --labels B-000001,...)
  stemline-sheet labels --pick-ticket INV-000001 --out <file.pdf>`;

/** The document's path and, for lists of labels, the body to POST (a URL cannot hold 2,000 labels). */
function request(values: Record<string, string | boolean | undefined>, format: 'pdf' | 'zpl'): { path: string; body?: Record<string, unknown> } {
  const labels =
    typeof values.labels === 'string'
      ? values.labels
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean)
      : undefined;
  if (typeof values['pick-ticket'] === 'string') {
    if (format !== 'pdf') throw new UsageError('a pick ticket is a PDF: --out file.pdf');
    return { path: `/documents/pick-tickets/${encodeURIComponent(values['pick-ticket'])}` };
  }
  if (values.shipping) {
    if (labels) return { path: '/documents/shipping-labels', body: { labels, format } };
    if (typeof values.invoice === 'string') return { path: `/documents/shipping-labels?${new URLSearchParams({ invoice: values.invoice, format })}` };
    throw new UsageError('--shipping takes --invoice INV-... or --labels B-...,B-...');
  }
  if (labels) return { path: '/documents/box-labels', body: { labels, format } };
  if (typeof values.po === 'string') return { path: `/documents/box-labels?${new URLSearchParams({ purchaseOrder: values.po, format })}` };
  if (typeof values.shipment === 'string') return { path: `/documents/box-labels?${new URLSearchParams({ shipment: values.shipment, format })}` };
  if (values.staging) {
    const filter = Object.fromEntries((['vendor', 'customer', 'awb'] as const).flatMap((key) => (typeof values[key] === 'string' ? [[key, values[key]]] : [])));
    return { path: '/documents/box-labels', body: { staging: filter, format } };
  }
  throw new UsageError('say which boxes: --po, --shipment, --labels or --staging');
}

/** Runs `stemline-sheet labels ...` (argv without the word "labels"); the exit code. */
export async function labelsCommand(argv: string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        out: { type: 'string' },
        po: { type: 'string' },
        shipment: { type: 'string' },
        labels: { type: 'string' },
        staging: { type: 'boolean' },
        vendor: { type: 'string' },
        customer: { type: 'string' },
        awb: { type: 'string' },
        shipping: { type: 'boolean' },
        invoice: { type: 'string' },
        'pick-ticket': { type: 'string' },
      },
    });
    if (!values.out) throw new UsageError('--out <file.pdf|file.zpl> is required');
    const format = values.out.toLowerCase().endsWith('.zpl') ? 'zpl' : values.out.toLowerCase().endsWith('.pdf') ? 'pdf' : null;
    if (!format) throw new UsageError('--out must end in .pdf or .zpl');
    const { path, body } = request(values, format);
    const connection = await findConnection({ server: values.server, token: values.token });
    const document = await fetchDocument(connection, path, body);
    await fs.writeFile(values.out, document.bytes);
    console.log(
      `${values.out}: ${document.count} ${values['pick-ticket'] ? 'box(es) on the pick ticket' : 'label(s)'}.${format === 'zpl' ? ` Print with: nc <printer> 9100 < ${values.out}` : ''}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`stemline-sheet labels: ${error.message}\n\nUsage:\n${LABELS_USAGE}`);
      return 2;
    }
    if (error instanceof ConnectionError) {
      console.error(`stemline-sheet labels: ${error.message}`);
      return 1;
    }
    if (error instanceof DocumentRequestError) {
      console.error(`stemline-sheet labels: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      return 1;
    }
    console.error(`stemline-sheet labels: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

class UsageError extends Error {}
