// The task pane's Open credit memo (Invoices panel) in headless Chromium, with the stand-in Excel host,
// against a real server: the memo lands on its own sheet, seller to total, and no cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockBoxes } from '../support/receiving';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';

type FakeWorkbook = { sheets?: Record<string, { ranges: Record<string, { values?: unknown[][] }>; pageLayout: Record<string, unknown> }> };

describe('task pane: open a credit memo', () => {
  let harness: TaskpaneHarness;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  it('opens the credit memo of a credit number on its own sheet', async () => {
    const { t } = harness;
    await t.ok(
      `mutation { updateSettings(input: { companyName: "Stemline Demo Florist", companyAddress: "8400 NW 25th Street\\nDoral, FL 33122" }) { errors { message } } }`,
    );
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.4137' });
    const invoice = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels, unitPrice: '0.80' }] },
    });
    const credit = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { message } } }`, {
      input: { reason: 'SHORT', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.createInvoice.invoice.lines[0].id, units: 25 }] },
    });
    const number = credit.requestCredit.credit.number;
    await t.ok(`mutation { approveCredit(number: "${number}") { errors { code } } }`);

    const page = await harness.openPane({ tables: {} });
    await openTab(page, 'invoices');
    await page.getByLabel('Credit #').fill(number);
    await page.getByRole('button', { name: 'Open credit memo' }).click();
    const outcome = () =>
      page
        .getByTestId('task-outcome')
        .innerText()
        .catch(() => '');
    await expect.poll(outcome, { timeout: 30_000 }).toContain(`The credit memo of ${number} is open on its own sheet`);
    await page.screenshot({ path: 'test-results/taskpane-credit-memo.png' });
    const workbook = await page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
    const values = Object.values(workbook.sheets![number].ranges).find((r) => r.values)!.values!;
    const cells = values.flat();
    expect(values[0]).toEqual(['Stemline Demo Florist', '', 'CREDIT MEMO', '', '']);
    for (const expected of [number, invoice.createInvoice.invoice.number, 'Short shipped', 'Blooms Florist (BLOOMS)', 'Total credit', 20]) {
      expect(cells).toContain(expected);
    }
    expect(cells.some((c) => /0\.4137|cost|margin/i.test(String(c)))).toBe(false);
    await page.close();
  }, 120_000);
});
