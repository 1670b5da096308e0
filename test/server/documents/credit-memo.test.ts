// The credit memo (PDF under /documents/credit-memos/): what the customer is credited, like its invoice,
// never a cost; a CUSTOMER token prints only its own. Text is read with pdftotext, never compared as pixels.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoLineText, memoTitle, memoTotal, printedMoney } from '../../../server/src/documents/credit-memo-data';
import { setSettings } from '../../support/billing';
import { seedCatalogue } from '../../support/fixtures';
import { stockBoxes } from '../../support/receiving';
import { startTestServer, type TestServer } from '../../support/test-server';

let t: TestServer;
let number: string;
let invoiceNumber: string;
let blooms: string;
let freshmart: string;
let warehouse: string;

async function get(path: string, token: string | null = t.adminToken) {
  const response = await fetch(`${t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
}

function pdfText(body: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: body, encoding: 'utf8' });
}

async function token(role: string, customer?: string): Promise<string> {
  const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, {
    input: { name: `${role.toLowerCase()} ${customer ?? ''}`.trim(), role, customer: customer ?? null },
  });
  return data.createApiToken.secret;
}

beforeAll(async () => {
  t = await startTestServer();
  await seedCatalogue(t);
  await setSettings(t, {
    companyName: 'Miami Flower Wholesale LLC',
    companyAddress: '7200 NW 25th St\nMiami, FL 33122',
    companyPhone: '+1 305 555 0100',
    companyTaxId: '59-1234567',
  });
  await t.ok(
    `mutation { upsertCustomers(input: [{ code: "BLOOMS", name: "Blooms Florist", billingAddress: "12 Petal Lane\\nOrlando, FL 32801" }]) { errors { message } } }`,
  );
  const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.37' });
  const invoice = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } } }`, {
    input: { customer: 'BLOOMS', truckDate: '2027-02-10', customerPo: 'BL-5521', lines: [{ labels: roses, unitPrice: '0.80' }] },
  });
  invoiceNumber = invoice.createInvoice.invoice.number;
  const lineId = invoice.createInvoice.invoice.lines[0].id;
  await t.ok(`mutation { confirmInvoice(number: "${invoiceNumber}") { errors { code } } }`);
  const credit = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number memoUrl } errors { code message } } }`, {
    input: {
      reason: 'DAMAGED',
      notes: 'Box 2 arrived crushed; heads broken.',
      lines: [
        { kind: 'QUANTITY', invoiceLine: lineId, units: 100 },
        { kind: 'PRICE', invoiceLine: lineId, units: 200, amountPerUnit: '0.05' },
        { kind: 'AMOUNT', amount: '12.50' },
      ],
    },
  });
  expect(credit.requestCredit.errors).toEqual([]);
  number = credit.requestCredit.credit.number;
  expect(credit.requestCredit.credit.memoUrl).toBe(`/documents/credit-memos/${number}`);
  [blooms, freshmart, warehouse] = await Promise.all([token('CUSTOMER', 'BLOOMS'), token('CUSTOMER', 'FRESHMART'), token('WAREHOUSE')]);
});

afterAll(async () => {
  await t?.close();
});

describe('credit memo', () => {
  it('words each line and totals exactly', () => {
    const line = { lineNo: 1, kind: 'QUANTITY', units: 100, amountPerUnit: '0.8000', amount: '80.0000', invoiceLineNo: 1, product: null };
    expect(memoLineText({ ...line, kind: 'AMOUNT', invoiceLineNo: null })).toEqual({ title: 'Amount credited', detail: '' });
    const rose = { code: 'ROSE-FREEDOM-50', name: 'Rose Freedom 50cm', unit: 'STEM' };
    expect(memoLineText({ ...line, product: rose })).toEqual({ title: 'Rose Freedom 50cm (ROSE-FREEDOM-50)', detail: 'Units credited, invoice line 1' });
    expect(memoLineText({ ...line, kind: 'PRICE', invoiceLineNo: 2, product: rose }).detail).toBe('Price reduction per unit, invoice line 2');
    expect(memoTotal([line, { ...line, amount: '0.1000' }, { ...line, amount: '0.2000' }])).toBe('80.30');
    expect([printedMoney('1234.5000'), printedMoney('0.8125'), printedMoney('-3.1000')]).toEqual(['1,234.50', '0.8125', '-3.10']);
    expect(['PENDING', 'APPROVED', 'REJECTED', 'VOID'].map(memoTitle)).toEqual([
      'CREDIT REQUEST (PENDING)',
      'CREDIT MEMO',
      'CREDIT MEMO (REJECTED)',
      'CREDIT MEMO (VOID)',
    ]);
  });

  it('prints seller, bill-to, credit number and date, the invoice it credits, lines, reason and total; never a cost', async () => {
    await t.ok(`mutation { approveCredit(number: "${number}") { errors { code } } }`);
    const response = await get(`/documents/credit-memos/${number}`);
    expect(response.status, response.body.toString().slice(0, 300)).toBe(200);
    expect(response.type).toBe('application/pdf');
    const text = pdfText(response.body);
    const date = (await t.ok(`{ credit(number: "${number}") { date } }`)).credit.date as string;
    const [year, month, day] = date.split('-').map(Number);
    const printed = `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1]} ${day}, ${year}`;
    for (const expected of [
      'Miami Flower Wholesale LLC',
      '7200 NW 25th St',
      'Tax ID 59-1234567',
      'CREDIT MEMO',
      number,
      printed,
      invoiceNumber,
      'BL-5521',
      'Blooms Florist (BLOOMS)',
      '12 Petal Lane',
      'Orlando, FL 32801',
      'Units credited, invoice line 1',
      'Price reduction per unit, invoice line 1',
      'Amount credited',
      'Damaged',
      'Notes: Box 2 arrived crushed; heads broken.',
      `taken off what is owed on invoice ${invoiceNumber}`,
      `${number} · page 1 of 1`,
    ]) {
      expect(text).toContain(expected);
    }
    // 100 × 0.80 = 80.00; 200 × 0.05 = 10.00; 12.50: 102.50.
    expect(text).toMatch(/Rose Freedom 50cm \(ROSE-FREEDOM-50\)\s+100 stems\s+0\.80\s+80\.00/);
    expect(text).toMatch(/Rose Freedom 50cm \(ROSE-FREEDOM-50\)\s+200 stems\s+0\.05\s+10\.00/);
    expect(text).toMatch(/Amount credited\s+12\.50/);
    expect(text).toMatch(/Total credit\s+102\.50/);
    expect(text).not.toContain('0.37');
    expect(text.toLowerCase()).not.toContain('cost');
  });

  it('prints for staff and for its own customer only: another customer and an unknown number get 404, no token 401', async () => {
    expect((await get(`/documents/credit-memos/${number}`, warehouse)).status).toBe(200);
    const own = await get(`/documents/credit-memos/${number.toLowerCase()}`, blooms);
    expect(own.status).toBe(200);
    expect(pdfText(own.body)).toContain(number);
    const theirs = await get(`/documents/credit-memos/${number}`, freshmart);
    expect(theirs.status).toBe(404);
    expect(JSON.parse(theirs.body.toString())).toEqual({ code: 'UNKNOWN_CREDIT', error: `No credit ${number}.` });
    expect((await get(`/documents/credit-memos/CR-999999`)).status).toBe(404);
    expect((await get(`/documents/credit-memos/${number}`, null)).status).toBe(401);
    expect((await get(`/documents/credit-memos/${number}?format=zpl`)).status).toBe(400);
    expect((await get(`/documents/credit-memos/%E0%A4%A`)).status).toBe(400);
    // A CUSTOMER token still prints no other document.
    expect((await get(`/documents/pick-tickets/${invoiceNumber}`, blooms)).status).toBe(403);
  });

  it('says PENDING, REJECTED or VOID in its title and that it changes nothing owed', async () => {
    await t.ok(`mutation { voidCredit(number: "${number}", reason: "duplicate") { errors { code } } }`);
    const text = pdfText((await get(`/documents/credit-memos/${number}`)).body);
    expect(text).toContain('CREDIT MEMO (VOID)');
    expect(text).toContain('This credit is void: it changes nothing owed.');
  });

  it('runs onto more pages with its own page X of Y when it has many lines', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ kind: 'AMOUNT', amount: `${i + 1}.00` }));
    const data = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number total } errors { code message } } }`, {
      input: { customer: 'BLOOMS', reason: 'OTHER', lines },
    });
    expect(data.requestCredit.errors).toEqual([]);
    const { number: long, total } = data.requestCredit.credit;
    expect(total).toBe('1830.00');
    const pages = pdfText((await get(`/documents/credit-memos/${long}`)).body)
      .split('\f')
      .slice(0, -1);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => expect(page).toContain(`${long} · page ${index + 1} of ${pages.length}`));
    expect(pages[pages.length - 1]).toMatch(/Total credit\s+1,830\.00/);
    expect(pages[1]).toContain(`CREDIT REQUEST (PENDING) ${long} (continued)`);
  });
});
