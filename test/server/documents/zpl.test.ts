import { describe, expect, it } from 'vitest';
import { boxLabelZpl } from '../../../server/src/documents/box-label.document';
import type { BoxLabelData } from '../../../server/src/documents/document-data';
import { wrapLines, zplCode128, zplFieldData, zplFieldText, zplText } from '../../../server/src/documents/zpl';
import { parseZpl } from '../../support/documents';

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
  awb: null,
  arrivalDate: '2027-02-07',
  location: 'MIA',
  customer: null,
  prebookNumbers: [],
  truckDate: null,
};

describe('ZPL field data', () => {
  it('escapes what could end a field or start a command, and reads back to the same text', () => {
    for (const text of ['B-000001', 'V^1~_x', '^XZ^XA^FDinjected', 'Rosa ñandú Größe', 'a\\b', '__5E']) {
      const data = zplFieldData(text);
      expect(data).not.toMatch(/[\^~]/);
      expect(data).toMatch(/^[\x20-\x7e]*$/);
      expect(zplFieldText(data)).toBe(text);
    }
  });

  it('keeps a hostile product name inside its field: still one label with one barcode', () => {
    const [label, ...rest] = parseZpl(boxLabelZpl({ ...box, productName: 'Rose ^XZ^XA^FO0,0^BCN,10^FDevil^FS' }));
    expect(rest).toEqual([]);
    expect(label.code128).toEqual(['B-000001']);
    expect(label.texts).toContain('Rose ^XZ^XA^FO0,0^BCN,10^FDevil^FS');
  });

  it('sets long text smaller, then cuts it, so a printer never overprints', () => {
    expect(zplText(0, 0, 'Short', { height: 40, width: 600 })).toContain('^A0N,40,36');
    const long = zplText(0, 0, 'x'.repeat(200), { height: 40, width: 300 });
    expect(long).toMatch(/\^A0N,2\d,/);
    expect(zplFieldText(/\^FD(.*)\^FS/.exec(long)![1])).toMatch(/^x+\.\.\.$/);
  });

  it('sizes the barcode module to the label: wider bars for short labels, 1 dot at least', () => {
    expect(zplCode128(0, 0, 'B-1', 748, 200)).toContain('^BY4,');
    expect(zplCode128(0, 0, 'X'.repeat(60), 748, 200)).toContain('^BY1,');
    expect(zplCode128(0, 0, 'Größe', 748, 200)).toBeNull();
  });
});

describe('wrapLines', () => {
  it('breaks at spaces, cuts a word longer than a line, and ends a text too long for its lines with ...', () => {
    expect(wrapLines('Rose Freedom 50cm red', 10, 3)).toEqual(['Rose', 'Freedom', '50cm red']);
    expect(wrapLines('VENDOR-' + 'L'.repeat(13), 10, 2)).toEqual(['VENDOR-LLL', 'LLLLLLLLLL']);
    expect(wrapLines('X'.repeat(25), 10, 2)).toEqual(['XXXXXXXXXX', 'XXXXXXX...']);
  });

  it('puts a long box label on two lines inside the label width instead of running off its edge', () => {
    const [label] = parseZpl(boxLabelZpl({ ...box, label: 'VENDOR-' + 'L'.repeat(40) }));
    const header = boxLabelZpl({ ...box, label: 'VENDOR-' + 'L'.repeat(40) })
      .split('\n')
      .find((line) => line.includes('^FDVENDOR'))!;
    expect(header).toContain('\\&');
    expect(label.texts[0].replace(/ /g, '')).toBe('VENDOR-' + 'L'.repeat(40));
  });
});
