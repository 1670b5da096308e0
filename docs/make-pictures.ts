// The README's pictures of the printed documents, drawn by the code that prints them
// (server/src/documents) from a demo-catalogue example, rendered to PNG with poppler's pdftoppm.
// npm run docs:pictures (scripts/docs-pictures.ts) calls makePictures, then draws the customer invoice.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boxLabelsPdf } from '../server/src/documents/box-label.document';
import type { BoxLabelData, PickTicketData, Seller, ShippingLabelData } from '../server/src/documents/document-data';
import { pickTicketPdf } from '../server/src/documents/pick-ticket.document';
import { shippingLabelsPdf } from '../server/src/documents/shipping-label.document';

export const seller: Seller = {
  name: 'Stemline Demo Wholesale Florist',
  address: '7200 NW 25th St\nMiami, FL 33122',
  phone: '+1 305 555 0100',
  taxId: '59-1234567',
};

export const boxLabel: BoxLabelData = {
  label: 'B-000123',
  productCode: 'ROSE-FREEDOM-50-RED',
  productName: 'Rose Freedom 50cm red',
  boxType: 'QB',
  units: 100,
  unit: 'STEM',
  vendorCode: 'ROSAS-SABANA',
  vendorName: 'Rosas de la Sabana (Bogotá, Colombia)',
  purchaseOrderNumber: 'PO-000042',
  awb: '729-12345675',
  arrivalDate: '2027-02-07',
  location: 'MIA',
  customer: { code: 'FRESHMART', name: 'FreshMart Supermarkets' },
  prebookNumbers: ['PB-000017'],
  truckDate: '2027-02-10',
};

export const shippingLabel: ShippingLabelData = {
  label: 'B-000123',
  invoiceNumber: 'INV-000031',
  customerPo: 'FM-7781',
  truckDate: '2027-02-10',
  carrierCode: 'ARMELLINI',
  carrierName: 'Armellini Express Lines',
  customerCode: 'FRESHMART',
  customerName: 'FreshMart Supermarkets',
  billingAddress: null,
  shipToCode: 'DC-ATL',
  shipToName: 'Atlanta distribution center',
  shipToAddress: '4500 Fulton Industrial Blvd SW\nAtlanta, GA 30336',
  productCode: 'ROSE-FREEDOM-50-RED',
  productName: 'Rose Freedom 50cm red',
  boxType: 'QB',
  units: 100,
  boxNumber: 3,
  boxCount: 12,
};

export const pickTicket: PickTicketData = {
  invoiceNumber: 'INV-000031',
  status: 'PENDING',
  customerCode: 'FRESHMART',
  customerName: 'FreshMart Supermarkets',
  shipToName: 'Atlanta distribution center',
  shipToAddress: '4500 Fulton Industrial Blvd SW\nAtlanta, GA 30336',
  carrierName: 'Armellini Express Lines',
  truckDate: '2027-02-10',
  customerPo: 'FM-7781',
  boxes: [
    ...Array.from({ length: 4 }, (_, i) => ({
      location: 'MIA',
      locationName: 'Miami warehouse',
      label: `B-00012${i}`,
      productCode: 'ROSE-FREEDOM-50-RED',
      productName: 'Rose Freedom 50cm red',
      boxType: 'QB',
      units: 100,
      unit: 'STEM',
    })),
    {
      location: 'MIA',
      locationName: 'Miami warehouse',
      label: 'B-000311',
      productCode: 'CARN-FANCY-WHITE',
      productName: 'Carnation fancy white',
      boxType: 'HB',
      units: 500,
      unit: 'STEM',
    },
    {
      location: 'NYC',
      locationName: 'New York cross-dock',
      label: 'B-000412',
      productCode: 'HYDRANGEA-WHITE-SELECT',
      productName: 'Hydrangea white select',
      boxType: 'HB',
      units: 35,
      unit: 'STEM',
    },
  ],
};

/** The first page of a PDF as a PNG at `dpi`. */
function firstPagePng(pdf: Buffer, dpi: number, out: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-pictures-'));
  try {
    fs.writeFileSync(path.join(dir, 'doc.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-f', '1', '-l', '1', '-singlefile', path.join(dir, 'doc.pdf'), path.join(dir, 'page')]);
    fs.copyFileSync(path.join(dir, 'page.png'), out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The words of the first page of a PDF, line by line as they are drawn (pdftotext -raw, whitespace
 * collapsed): what a picture says, whatever poppler and fonts draw its pixels with.
 */
export function pdfWords(pdf: Buffer): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-pictures-'));
  try {
    fs.writeFileSync(path.join(dir, 'doc.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', '1', '-l', '1', path.join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
    return text
      .split(/[\n\f]/)
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What each picture shows, by file name: its text, and the payload of every barcode it draws (docs/pictures.json). */
export type PictureFacts = Record<string, { text: string[]; barcodes: string[] }>;

/** The documents the README shows: each picture's file name, PDF, resolution and barcode payloads. */
export async function pictureDocuments(): Promise<Array<{ name: string; pdf: Buffer; dpi: number; barcodes: string[] }>> {
  return [
    { name: 'box-label.png', pdf: await boxLabelsPdf([boxLabel]), dpi: 100, barcodes: [boxLabel.label] },
    { name: 'shipping-label.png', pdf: await shippingLabelsPdf(seller, [shippingLabel]), dpi: 100, barcodes: [shippingLabel.label] },
    { name: 'pick-ticket.png', pdf: await pickTicketPdf(seller, pickTicket), dpi: 60, barcodes: pickTicket.boxes.map((box) => box.label) },
  ];
}

/**
 * Writes box-label.png, shipping-label.png and pick-ticket.png into `dir`, and pictures.json: what
 * each shows (its text and barcode payloads), which test/docs/pictures.test.ts compares with what the
 * code prints now. Returns the PNGs' paths.
 */
export async function makePictures(dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const facts: PictureFacts = {};
  const files: string[] = [];
  for (const document of await pictureDocuments()) {
    const file = path.join(dir, document.name);
    firstPagePng(document.pdf, document.dpi, file);
    facts[document.name] = { text: pdfWords(document.pdf), barcodes: document.barcodes };
    files.push(file);
  }
  fs.writeFileSync(path.join(dir, 'pictures.json'), `${JSON.stringify(facts, null, 2)}\n`);
  return files;
}
