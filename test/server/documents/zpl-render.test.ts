// The ZPL a Zebra printer receives, rendered to an image by a ZPL renderer (zpl-renderer-js, a WASM
// build of the Zebrash renderer) and read back with zbarimg: each label's barcode scans as its box label.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ready } from 'zpl-renderer-js';
import { boxLabelZpl } from '../../../server/src/documents/box-label.document';
import type { BoxLabelData, ShippingLabelData } from '../../../server/src/documents/document-data';
import { shippingLabelZpl } from '../../../server/src/documents/shipping-label.document';
import { decodeBarcodes } from '../../support/documents';

const box: BoxLabelData = {
  label: 'B-000001',
  productCode: 'ROSE-FREEDOM-50',
  productName: 'Rose Freedom 50cm',
  boxType: 'QB',
  units: 100,
  unit: 'STEM',
  vendorCode: 'ROSAS',
  vendorName: 'Rosas de la Sabana',
  purchaseOrderNumber: 'PO-000001',
  awb: '369-12345675',
  arrivalDate: '2027-02-07',
  location: 'MIA',
  customer: { code: 'FRESHMART', name: 'FreshMart Supermarkets' },
  prebookNumbers: ['PB-000004'],
  truckDate: '2027-02-09',
};

async function renderLabels(zpl: string): Promise<string[]> {
  const { api } = await ready;
  // 4x6 in at 8 dots per mm (203 dpi), as the labels are laid out.
  const images = await api.zplToBase64MultipleAsync(zpl, 101.6, 152.4, 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-zpl-'));
  return images.map((image, index) => {
    const file = path.join(dir, `label-${index + 1}.png`);
    fs.writeFileSync(file, Buffer.from(image, 'base64'));
    return file;
  });
}

describe('ZPL rendered as a printer would print it', () => {
  it('prints one label per box, each barcode scanning as its box label, long and odd labels included', async () => {
    const labels = ['B-000001', 'FARM-LBL-0042', 'V^1~_x-99', 'VENDOR-' + 'L'.repeat(20)];
    const zpl = labels.map((label) => boxLabelZpl({ ...box, label })).join('');
    const files = await renderLabels(zpl);
    expect(files).toHaveLength(labels.length);
    expect(decodeBarcodes(files)).toEqual(labels.map((label) => [`CODE-128:${label}`]));
  });

  it('prints a shipping label whose barcode scans as the box label', async () => {
    const label: ShippingLabelData = {
      label: 'B-000123',
      invoiceNumber: 'INV-000007',
      customerPo: 'FM-4471',
      truckDate: '2027-02-09',
      carrierCode: 'FEDEX',
      carrierName: 'FedEx Freight',
      customerCode: 'FRESHMART',
      customerName: 'FreshMart Supermarkets',
      billingAddress: '1200 Peachtree St NE\nAtlanta, GA 30309',
      shipToCode: 'DC-ATL',
      shipToName: 'Atlanta distribution center',
      shipToAddress: '4500 Fulton Industrial Blvd SW\nAtlanta, GA 30336',
      productCode: 'ROSE-FREEDOM-50',
      productName: 'Rose Freedom 50cm',
      boxType: 'QB',
      units: 100,
      boxNumber: 2,
      boxCount: 3,
    };
    const seller = { name: 'Stemline Demo Flowers, Inc.', address: '8200 NW 25th Street\nDoral, FL 33122', phone: '+1 305 555 0142', taxId: 'EIN 59-1234567' };
    const files = await renderLabels(shippingLabelZpl(seller, label));
    expect(decodeBarcodes(files)).toEqual([['CODE-128:B-000123']]);
  });
});
