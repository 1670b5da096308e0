// The task pane's Open claim sheet (Invoices panel, beside Open credit memo) in headless Chromium, with the
// stand-in Excel host, against a real server: the farm claim lands on its own sheet, vendor to totals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockBoxes } from '../support/receiving';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';

type FakeWorkbook = { sheets?: Record<string, { ranges: Record<string, { values?: unknown[][] }>; pageLayout: Record<string, unknown> }> };

describe('task pane: open a farm claim sheet', () => {
  let harness: TaskpaneHarness;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  it('opens the claim sheet of a farm claim number on its own sheet', async () => {
    const { t } = harness;
    await t.ok(`mutation { updateSettings(input: { companyName: "Stemline Demo Florist" }) { errors { message } } }`);
    const [label] = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
    const saved = await t.ok(
      `mutation($input: SaveVendorCreditInput!) { saveVendorCredit(input: $input) { vendorCredit { number total } errors { message } } }`,
      {
        input: {
          source: 'INSPECTION',
          reason: 'DEHYDRATED',
          lines: [{ box: label, units: 30, productAmount: '12.00', freightAmount: '2.40', dutyAmount: '0.00', handlingAmount: '0.60' }],
        },
      },
    );
    expect(saved.saveVendorCredit.errors).toEqual([]);
    const number = saved.saveVendorCredit.vendorCredit.number;

    const page = await harness.openPane({ tables: {} });
    await openTab(page, 'invoices');
    await page.getByLabel('Farm claim #').fill(number);
    await page.getByRole('button', { name: 'Open claim sheet' }).click();
    const outcome = () =>
      page
        .getByTestId('task-outcome')
        .innerText()
        .catch(() => '');
    await expect.poll(outcome, { timeout: 30_000 }).toContain(`The claim sheet of ${number} is open on its own sheet`);
    await page.screenshot({ path: 'test-results/taskpane-farm-claim.png' });
    const workbook = await page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
    const values = Object.values(workbook.sheets![number].ranges).find((r) => r.values)!.values!;
    const cells = values.flat();
    expect(values[0]).toEqual(['Stemline Demo Florist', '', '', '', '', '', 'FARM CLAIM (DRAFT)', '', '', '', '']);
    for (const expected of [number, 'Dehydrated', 'Rosas de la Sabana (ROSAS)', label, 'Total claimed', 30, 12, 2.4, 0.6, 15]) {
      expect(cells).toContain(expected);
    }
    await page.close();
  }, 120_000);
});
