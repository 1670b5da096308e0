// The Credits panel in headless Chromium, over the stand-in Excel host, against a real server: a sales
// manager pushes credits, then approves and rejects the credits of the selected rows.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { stockBoxes } from '../support/receiving';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';

type FakeWorkbook = { tables: Record<string, { header: string[]; rows: unknown[][] }> };

describe('task pane: the Credits panel', () => {
  let harness: TaskpaneHarness;
  let invoice: string;
  let manager: string;
  let sales: string;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    const { t } = harness;
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { message } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: roses, unitPrice: '0.80' }] },
    });
    invoice = data.createInvoice.invoice.number;
    const token = async (role: string) =>
      (await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, { input: { name: `${role} pane`, role } }))
        .createApiToken.secret as string;
    manager = await token('SALES_MANAGER');
    sales = await token('SALES');
  }, 180_000);
  afterAll(() => harness?.close());

  const header = allColumns('Credits');
  const row = (values: Record<string, unknown>) => header.map((c) => values[c] ?? '');
  const rowsOf = async (page: Page) => (await page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook)).tables.Credits.rows;
  const cell = (r: unknown[], column: string) => r[header.indexOf(column)];
  const outcomeOf = (page: Page) =>
    page
      .getByTestId('task-outcome')
      .innerText()
      .catch(() => '');
  const select = (page: Page, rowIndex: number, rowCount: number) =>
    page.evaluate((s) => ((window as unknown as { __selection: unknown }).__selection = s), { rowIndex, rowCount });
  const status = async (number: unknown) =>
    (await harness.t.ok(`query($n: String!) { credit(number: $n) { status rejectionReason } }`, { n: String(number) })).credit;

  it('pushes credits, then a sales manager approves the selected credit and rejects another with a reason', async () => {
    const rows = [
      row({ Ref: 'A', 'Invoice #': invoice, Product: 'ROSE-FREEDOM-50', Kind: 'QUANTITY', Units: 100, Reason: 'DAMAGED', Restock: 'Yes' }),
      row({ Ref: 'A', 'Invoice #': invoice, Product: 'ROSE-FREEDOM-50', Kind: 'PRICE', Units: 100, 'Amount per Unit': '0.10', Reason: 'DAMAGED' }),
      row({ Ref: 'B', Customer: 'BLOOMS', Amount: 25, Reason: 'LATE', Notes: 'truck two hours late' }),
    ];
    const page = await harness.openPane({ tables: { Credits: { header, rows } } }, { connection: { serverUrl: harness.t.url, token: manager }, height: 1000 });
    await openTab(page, 'credits');
    await page.getByTestId('push-Credits').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('3 row(s) OK, 0 with errors');
    const pushed = await rowsOf(page);
    const [a, , b] = pushed.map((r) => cell(r, 'Credit #'));
    expect(a).toMatch(/^CR-\d{6}$/);
    expect(cell(pushed[1], 'Credit #')).toBe(a);

    // Nothing selected in the table (the selection is on its header): said, and nothing changes.
    await select(page, 0, 1);
    await page.getByTestId('approve-Credits').click();
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain('Select rows of the Credits table first');
    expect((await status(a)).status).toBe('PENDING');

    // One row of credit A selected: the whole credit is approved, and both its rows say so.
    await select(page, 2, 1);
    await page.getByTestId('approve-Credits').click();
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain(`1 credit(s) approved: ${String(a)}`);
    expect((await status(a)).status).toBe('APPROVED');
    const approved = await rowsOf(page);
    expect([cell(approved[0], 'Message'), cell(approved[1], 'Message')]).toEqual(['APPROVED', 'APPROVED']);

    // Reject asks for a reason first.
    await select(page, 3, 1);
    await page.getByTestId('reject-Credits').click();
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain('Type why these credits are rejected');
    expect((await status(b)).status).toBe('PENDING');
    await page.getByTestId('reject-reason').fill('no delay on the carrier record');
    await page.getByTestId('reject-Credits').click();
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain(`1 credit(s) rejected: ${String(b)}`);
    expect(await status(b)).toEqual({ status: 'REJECTED', rejectionReason: 'no delay on the carrier record' });
    expect(cell((await rowsOf(page))[2], 'Message')).toBe('REJECTED: no delay on the carrier record');

    // Approving an approved credit again: told on its rows, nothing else changes.
    await select(page, 1, 2);
    await page.getByTestId('approve-Credits').click();
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain('0 credit(s) approved; 1 refused');
    await expect
      .poll(
        async () =>
          (await page
            .getByTestId('problems')
            .innerText()
            .catch(() => '')) ?? '',
      )
      .toContain('is APPROVED');
    await page.screenshot({ path: 'test-results/taskpane-credits.png', fullPage: true });
    await page.close();
  });

  it('tells a SALES token that approving is for a sales manager', async () => {
    const page = await harness.openPane(
      { tables: { Credits: { header, rows: [row({ 'Credit #': 'CR-000001', Customer: 'BLOOMS', Amount: 1 })] } } },
      { connection: { serverUrl: harness.t.url, token: sales } },
    );
    await openTab(page, 'credits');
    await select(page, 1, 1);
    await page.getByTestId('approve-Credits').click();
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain('Only a sales manager (or an administrator) may approve credits');
    expect((await harness.t.ok(`{ credit(number: "CR-000001") { status } }`)).credit.status).toBe('APPROVED');
    await page.close();
  });
});
