// mergeInvoices(target, sources): the manual combine around the separation settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants } from '../../../support/invariants';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const MERGE = `mutation($t: String!, $s: [String!]!) { mergeInvoices(target: $t, sources: $s) {
  invoice { number status total version lines { lineNo units unitPrice labels } }
  errors { code message row field } } }`;

describe('mergeInvoices', () => {
  let t: TestServer;
  const make = async (customer: string, labels: string[], unitPrice: string | null, truckDate = '2027-05-01') => {
    const data = await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number } errors { code message } } }`, {
      i: { customer, truckDate, lines: [{ labels, unitPrice }] },
    });
    return data.createInvoice.invoice.number as string;
  };
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('moves every line and its boxes to the target; the sources become VOID pointing at it', async () => {
    const boxes = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 3, unitCost: '0.40' });
    const target = await make('FRESHMART', [boxes[0]], '0.80');
    const a = await make('FRESHMART', [boxes[1]], '0.90', '2027-05-02');
    const b = await make('FRESHMART', [boxes[2]], null, '2027-05-03');
    const merged = await t.ok(MERGE, { t: target, s: [a, b] });
    expect(merged.mergeInvoices.errors).toEqual([]);
    expect(merged.mergeInvoices.invoice).toMatchObject({
      number: target,
      status: 'PENDING',
      total: '170.00',
      lines: [
        { lineNo: 1, units: 100, unitPrice: '0.80', labels: [boxes[0]] },
        { lineNo: 2, units: 100, unitPrice: '0.90', labels: [boxes[1]] },
        { lineNo: 3, units: 100, unitPrice: null, labels: [boxes[2]] },
      ],
    });
    const sources = await t.ok(`{ invoices(filter: { status: VOID }) { nodes { number status mergedInto lines { id } } } }`);
    expect(sources.invoices.nodes.filter((n: any) => [a, b].includes(n.number))).toEqual([
      { number: a, status: 'VOID', mergedInto: target, lines: [] },
      { number: b, status: 'VOID', mergedInto: target, lines: [] },
    ]);
    const box = await t.ok(`query($l: String!) { box(label: $l) { status } }`, { l: boxes[1] });
    expect(box.box.status).toBe('INVOICED');
    await checkBoxInvariants(t.orm);
    const audit = await t.orm.em.getConnection().execute(`select action from audit_event where action like 'merge%' order by id`);
    expect(audit.map((r: any) => r.action)).toEqual(['merged-into', 'merged-into', 'merge']);
    // Voiding the target now gives every box back.
    await t.ok(`mutation($n: String!) { voidInvoice(number: $n) { errors { code } } }`, { n: target });
    const back = await t.ok(`{ inventory(filter: { product: "ROSE-FREEDOM-50" }) { totalCount } }`);
    expect(back.inventory.totalCount).toBe(3);
  });

  it('refuses, per invoice and writing nothing, another customer, an invoice that is not pending, the target itself and unknown numbers', async () => {
    const boxes = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 3, unitCost: '0.40' });
    const target = await make('FRESHMART', [boxes[0]], '0.80');
    const other = await make('BLOOMS', [boxes[1]], '0.80');
    const confirmed = await make('FRESHMART', [boxes[2]], '0.80');
    await t.ok(`mutation($n: String!) { confirmInvoice(number: $n) { errors { code } } }`, { n: confirmed });
    const refused = await t.ok(MERGE, { t: target, s: [other, confirmed, target, 'INV-999999'] });
    expect(refused.mergeInvoices.errors.map((e: any) => [e.code, e.row, e.field])).toEqual([
      ['DIFFERENT_CUSTOMER', 1, 'sources'],
      ['INVALID_STATUS', 2, 'sources'],
      ['INVALID_VALUE', 3, 'sources'],
      ['NOT_FOUND', 4, 'sources'],
    ]);
    expect(refused.mergeInvoices.errors[0].message).toContain('BLOOMS');
    const still = await t.ok(`{ invoices(filter: { customer: "BLOOMS", status: PENDING }) { nodes { number lines { id } } } }`);
    expect(still.invoices.nodes.find((n: any) => n.number === other).lines).toHaveLength(1);
    const confirmedTarget = await t.ok(MERGE, { t: confirmed, s: [target] });
    expect(confirmedTarget.mergeInvoices.errors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_STATUS', 'target']]);
    const none = await t.ok(MERGE, { t: target, s: [] });
    expect(none.mergeInvoices.errors.map((e: any) => e.code)).toEqual(['REQUIRED']);
  });
});
