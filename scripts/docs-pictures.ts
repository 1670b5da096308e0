// npm run docs:pictures [-- --out docs]: every picture the guides show, made
// by the code they show: the printed box label, shipping label and pick ticket
// (docs/make-pictures.ts, drawn by server/src/documents), and docs/invoice.png is the customer invoice as
// LibreOffice prints it (the same sheet stemline-sheet invoice and the task
// pane's Open as a sheet write), for a sample invoice written out here (not one of the demo data); docs/taskpane-*.png are the task
// pane in Chromium as a buyer sees it (scripts/taskpane-screenshots.ts).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { customerInvoiceSheet, type CustomerInvoice, type InvoiceSeller } from '../addin/sheets/customer-invoice.document';
import { addPrintableSheet } from '../cli/printable-workbook';
import { makePictures } from '../docs/make-pictures';
import { pdfPng, renderPdf } from './libreoffice';
import { TASKPANE_PICTURES, taskpaneScreenshots } from './taskpane-screenshots';

export const DEMO_SELLER: InvoiceSeller = {
  name: 'Stemline Demo Flowers, Inc.',
  address: '8400 NW 25th Street\nDoral, FL 33122\nUnited States',
  phone: '+1 305 555 0100',
  taxId: '65-1234567',
  timeZone: 'America/New_York',
};

const line = (lineNo: number, code: string, name: string, boxes: number, units: number, unitPrice: string | null, unit = 'STEM') => ({
  lineNo,
  product: { code, name, unit },
  boxes,
  units,
  unitPrice,
  amount: unitPrice === null ? null : (Math.round(Number(unitPrice) * units * 100) / 100).toFixed(2),
});

/** A Valentine's week invoice to a supermarket, with one price still pending. */
export function demoInvoice(): CustomerInvoice {
  const lines = [
    line(1, 'ROSE-FREEDOM-50', 'Rose Freedom red 50cm', 8, 800, '0.85'),
    line(2, 'ROSE-EXPLORER-60', 'Rose Explorer red 60cm', 4, 400, '1.05'),
    line(3, 'ROSE-VENDELA-50', 'Rose Vendela white 50cm', 2, 200, '0.80'),
    line(4, 'SPRAY-MIRABEL', 'Spray rose Mirabel', 2, 100, '1.45'),
    line(5, 'CARN-RED-FANCY', 'Carnation red fancy', 1, 500, '0.32'),
    line(6, 'HYD-WHITE-SELECT', 'Hydrangea white select', 1, 35, '2.10'),
    line(7, 'GYP-XLENCE-80', 'Gypsophila Xlence 80cm', 1, 25, null, 'BUNCH'),
    line(8, 'BQT-VALENTINE-12', 'Valentine bouquet, 12 roses', 6, 48, '14.50', 'EACH'),
    line(9, 'VASE-GLASS-20', 'Glass vase 20cm', 1, 12, '2.75', 'EACH'),
  ];
  const total = lines.reduce((sum, l) => sum + Math.round(Number(l.amount ?? 0) * 100), 0);
  return {
    number: 'INV-000128',
    status: 'PENDING',
    truckDate: '2027-02-10',
    customerPo: 'FM-7781',
    createdAt: '2027-02-09T14:05:00.000Z',
    confirmedAt: null,
    total: (total / 100).toFixed(2),
    pricePending: true,
    customer: {
      code: 'FRESHMART',
      name: 'FreshMart Supermarkets',
      billingAddress: 'Accounts Payable\n1200 Market Street\nAtlanta, GA 30303',
      paymentTermsDays: 30,
    },
    shipTo: { code: 'DC-ATL', name: 'FreshMart Atlanta DC', address: '455 Distribution Way\nAtlanta, GA 30336' },
    carrier: { code: 'ARMELLINI', name: 'Armellini Express Lines' },
    lines,
    seller: DEMO_SELLER,
  };
}

/** Writes invoice.png into `out`; returns its path. */
export async function invoicePicture(out: string): Promise<string> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'docs-pictures-'));
  try {
    const xlsx = path.join(work, 'invoice.xlsx');
    const workbook = new ExcelJS.Workbook();
    addPrintableSheet(workbook, customerInvoiceSheet(demoInvoice()));
    await workbook.xlsx.writeFile(xlsx);
    const pdf = await renderPdf(xlsx, work);
    await fs.mkdir(out, { recursive: true });
    return await pdfPng(pdf, 1, path.join(out, 'invoice.png'), 90);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } } });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const out = path.resolve(values.out ?? path.join(root, 'docs'));
  try {
    for (const file of await makePictures(out)) console.log(`${file}: printed by server/src/documents.`);
    console.log(`${path.join(out, 'pictures.json')}: what each of them says and encodes (test/docs/pictures.test.ts).`);
    console.log(`${await invoicePicture(out)}: the customer invoice, printed by LibreOffice.`);
  } catch (error) {
    console.error(
      `docs:pictures: ${error instanceof Error ? error.message : String(error)} (needs LibreOffice Calc and poppler: apt-get install libreoffice-calc-nogui poppler-utils)`,
    );
    return 1;
  }
  try {
    const files = await taskpaneScreenshots(out);
    files.forEach((file, i) => console.log(`${file}: the task pane in Chromium, ${TASKPANE_PICTURES[i].caption}.`));
    return 0;
  } catch (error) {
    console.error(
      `docs:pictures: the task pane: ${error instanceof Error ? error.message : String(error)} (needs Chromium: apt-get install chromium, or set CHROMIUM_PATH)`,
    );
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(await main(process.argv.slice(2)));
