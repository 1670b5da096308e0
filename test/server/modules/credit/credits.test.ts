import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const CREDIT_FIELDS = `number status customer { code } invoice { number } date reason { code } notes total requestedBy approvedBy rejectionReason voidReason version
  lines { lineNo kind invoiceLine { id lineNo } units amountPerUnit amount restock }`;
const REQUEST = `mutation($input: RequestCreditInput!, $key: String) {
  requestCredit(input: $input, idempotencyKey: $key) { credit { ${CREDIT_FIELDS} } errors { code message row field } }
}`;
const APPROVE = `mutation($number: String!) { approveCredit(number: $number) { credit { number status approvedBy } errors { code message field } } }`;
const REJECT = `mutation($number: String!, $reason: String!) { rejectCredit(number: $number, reason: $reason) { credit { number status rejectionReason } errors { code message field } } }`;
const VOID = `mutation($number: String!, $reason: String!) { voidCredit(number: $number, reason: $reason) { credit { number status voidReason } errors { code message field } } }`;

async function token(t: TestServer, role: string, customer?: string): Promise<string> {
  const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret errors { message } } }`, {
    input: { name: `${role} ${customer ?? ''}`.trim(), role, customer: customer ?? null },
  });
  return data.createApiToken.secret;
}

/** An invoice of `labels` at `price`, confirmed unless told otherwise: its number and its line's id. */
async function invoiceOf(t: TestServer, customer: string, labels: string[], price: string | null, confirm = true): Promise<{ number: string; lineId: string }> {
  const data = await t.ok(
    `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } errors { code message } } }`,
    { input: { customer, truckDate: '2027-02-10', lines: [{ labels, unitPrice: price }] } },
  );
  expect(data.createInvoice.errors).toEqual([]);
  const { number, lines } = data.createInvoice.invoice;
  if (confirm) expect((await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`)).confirmInvoice.errors).toEqual([]);
  return { number, lineId: lines[0].id };
}

async function amounts(t: TestServer, number: string) {
  return (await t.ok(`{ invoice(number: "${number}") { total creditedAmount openAmount } }`)).invoice;
}

describe('credits', () => {
  let t: TestServer;
  let manager: string;
  let sales: string;
  let accounting: string;
  let blooms: string;
  let invoice: { number: string; lineId: string };

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 10, unitCost: '0.40' });
    // 4 boxes × 100 stems × 0.80 = 320.00
    invoice = await invoiceOf(t, 'BLOOMS', roses.slice(0, 4), '0.80');
    manager = await token(t, 'SALES_MANAGER');
    sales = await token(t, 'SALES');
    accounting = await token(t, 'ACCOUNTING');
    blooms = await token(t, 'CUSTOMER', 'BLOOMS');
    (globalThis as Record<string, unknown>).__roses = roses;
  });
  afterAll(() => t.close());

  it('seeds the default credit reasons on an empty database, and lets an ADMIN add and retire reasons', async () => {
    const data = await t.ok(`{ creditReasons { totalCount nodes { code appliesTo active } } }`);
    expect(data.creditReasons.nodes.map((r: { code: string }) => r.code).sort()).toEqual(
      ['DAMAGED', 'DEHYDRATED', 'LATE', 'OTHER', 'PRICE', 'QUALITY', 'SHORT', 'WRONG_PRODUCT'].sort(),
    );
    const saved = await t.ok(
      `mutation { upsertCreditReasons(input: [{ code: "freight", name: "Freight refund", appliesTo: "customer" }, { code: "LATE", active: false }]) { creditReasons { code name appliesTo active } errors { code message } } }`,
    );
    expect(saved.upsertCreditReasons).toEqual({
      creditReasons: [
        { code: 'FREIGHT', name: 'Freight refund', appliesTo: 'CUSTOMER', active: true },
        { code: 'LATE', name: 'Late delivery', appliesTo: 'BOTH', active: false },
      ],
      errors: [],
    });
    const refused = await t.gql(`mutation { upsertCreditReasons(input: [{ code: "X", name: "x" }]) { errors { code } } }`, undefined, manager);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('credits 1 box of 4 × 100 × 0.80 = 320.00 as 80.00: PENDING leaves 320.00 open, APPROVED 240.00', async () => {
    expect(await amounts(t, invoice.number)).toEqual({ total: '320.00', creditedAmount: '0.00', openAmount: '320.00' });
    const data = await t.ok(
      REQUEST,
      {
        input: {
          invoice: invoice.number,
          reason: 'DAMAGED',
          notes: 'bruised heads',
          lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 100, restock: true }],
        },
      },
      sales,
    );
    expect(data.requestCredit.errors).toEqual([]);
    expect(data.requestCredit.credit).toMatchObject({
      number: 'CR-000001',
      status: 'PENDING',
      customer: { code: 'BLOOMS' },
      invoice: { number: invoice.number },
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      reason: { code: 'DAMAGED' },
      notes: 'bruised heads',
      total: '80.00',
      requestedBy: expect.stringContaining('SALES'),
      approvedBy: null,
      lines: [
        { lineNo: 1, kind: 'QUANTITY', invoiceLine: { id: invoice.lineId, lineNo: 1 }, units: 100, amountPerUnit: '0.80', amount: '80.00', restock: true },
      ],
    });
    expect(await amounts(t, invoice.number)).toEqual({ total: '320.00', creditedAmount: '0.00', openAmount: '320.00' });

    const approved = await t.ok(APPROVE, { number: 'CR-000001' }, manager);
    expect(approved.approveCredit).toEqual({
      credit: { number: 'CR-000001', status: 'APPROVED', approvedBy: expect.stringContaining('SALES_MANAGER') },
      errors: [],
    });
    expect(await amounts(t, invoice.number)).toEqual({ total: '320.00', creditedAmount: '80.00', openAmount: '240.00' });
    const again = await t.ok(APPROVE, { number: 'CR-000001' }, manager);
    expect(again.approveCredit.errors).toEqual([{ code: 'INVALID_STATUS', message: expect.stringContaining('APPROVED'), field: 'number' }]);
  });

  it('gives a second credit its own number; REJECTED changes nothing and frees its units', async () => {
    const data = await t.ok(
      REQUEST,
      { input: { invoice: invoice.number, reason: 'SHORT', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 300 }] } },
      sales,
    );
    expect(data.requestCredit.credit).toMatchObject({ number: 'CR-000002', status: 'PENDING', total: '240.00' });
    // 300 of 400 units are now on credits (100 approved, 300 pending): not one more.
    const over = await t.ok(
      REQUEST,
      { input: { invoice: invoice.number, reason: 'SHORT', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 1 }] } },
      sales,
    );
    expect(over.requestCredit).toEqual({
      credit: null,
      errors: [
        {
          code: 'CREDIT_UNITS_EXCEEDED',
          message: `line 1: ${invoice.number} line 1 (ROSE-FREEDOM-50) has 0 of its 400 units left to credit; 1 asked`,
          row: null,
          field: 'lines.1.units',
        },
      ],
    });
    const noReason = await t.ok(`mutation { rejectCredit(number: "CR-000002", reason: " ") { errors { code field } } }`, undefined, manager);
    expect(noReason.rejectCredit.errors).toEqual([{ code: 'REQUIRED', field: 'reason' }]);
    const rejected = await t.ok(REJECT, { number: 'CR-000002', reason: 'photos show no damage' }, manager);
    expect(rejected.rejectCredit).toEqual({ credit: { number: 'CR-000002', status: 'REJECTED', rejectionReason: 'photos show no damage' }, errors: [] });
    expect(await amounts(t, invoice.number)).toEqual({ total: '320.00', creditedAmount: '80.00', openAmount: '240.00' });
  });

  it('refuses 5 boxes of a 4-box line, naming the line and what is left', async () => {
    const data = await t.ok(
      REQUEST,
      { input: { invoice: invoice.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 500 }] } },
      sales,
    );
    expect(data.requestCredit.errors).toEqual([
      {
        code: 'CREDIT_UNITS_EXCEEDED',
        message: `line 1: ${invoice.number} line 1 (ROSE-FREEDOM-50) has 300 of its 400 units left to credit; 500 asked`,
        row: null,
        field: 'lines.1.units',
      },
    ]);
    expect((await t.ok(`{ credits { totalCount } }`)).credits.totalCount).toBe(2);
  });

  it('caps PRICE credits at the unit price and every credit of a line at its amount', async () => {
    const price = await t.ok(
      REQUEST,
      { input: { invoice: invoice.number, reason: 'PRICE', lines: [{ kind: 'PRICE', invoiceLine: invoice.lineId, amountPerUnit: '0.81' }] } },
      sales,
    );
    expect(price.requestCredit.errors).toEqual([
      {
        code: 'CREDIT_PRICE_EXCEEDED',
        message: `line 1: ${invoice.number} line 1 (ROSE-FREEDOM-50) is priced 0.80 a unit; 0.81 a unit cannot come off it`,
        row: null,
        field: 'lines.1.amountPerUnit',
      },
    ]);
    // 80.00 of 320.00 is approved: 0.65 off 400 units = 260.00 is more than the 240.00 left.
    const amount = await t.ok(
      REQUEST,
      { input: { invoice: invoice.number, reason: 'PRICE', lines: [{ kind: 'PRICE', invoiceLine: invoice.lineId, amountPerUnit: '0.65' }] } },
      sales,
    );
    expect(amount.requestCredit.errors).toEqual([
      {
        code: 'CREDIT_AMOUNT_EXCEEDED',
        message: `line 1: ${invoice.number} line 1 (ROSE-FREEDOM-50) has 240.00 of its 320.00 left to credit; 260.00 asked`,
        row: null,
        field: 'lines.1.amountPerUnit',
      },
    ]);
    const flat = await t.ok(
      REQUEST,
      {
        input: {
          invoice: invoice.number,
          reason: 'OTHER',
          lines: [
            { kind: 'PRICE', invoiceLine: invoice.lineId, amountPerUnit: '0.05', units: 3 },
            { kind: 'AMOUNT', amount: '12.345' },
          ],
        },
      },
      sales,
    );
    expect(flat.requestCredit.credit).toMatchObject({
      status: 'PENDING',
      total: '12.50',
      lines: [
        { kind: 'PRICE', units: 3, amountPerUnit: '0.05', amount: '0.15' },
        { kind: 'AMOUNT', invoiceLine: null, units: null, amountPerUnit: null, amount: '12.35' },
      ],
    });
    await t.ok(VOID, { number: flat.requestCredit.credit.number, reason: 'entered twice' }, manager);
  });

  it('refuses credits on a VOID invoice and on a line whose price is pending; requires a reason', async () => {
    const roses = (globalThis as Record<string, unknown>).__roses as string[];
    const pending = await invoiceOf(t, 'BLOOMS', [roses[4]], null, false);
    const refused = await t.ok(REQUEST, { input: { reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: pending.lineId, units: 1 }] } }, sales);
    expect(refused.requestCredit.errors).toEqual([
      {
        code: 'PRICE_PENDING',
        message: `line 1: ${pending.number} line 1 (ROSE-FREEDOM-50) has no price yet: set it (setInvoicePrices) before crediting it`,
        row: null,
        field: 'lines.1.invoiceLine',
      },
    ]);
    await t.ok(`mutation { voidInvoice(number: "${pending.number}") { errors { code } } }`);
    const onVoid = await t.ok(REQUEST, { input: { reason: 'DAMAGED', lines: [{ kind: 'AMOUNT', invoiceLine: pending.lineId, amount: '1' }] } }, sales);
    expect(onVoid.requestCredit.errors).toEqual([
      { code: 'INVALID_STATUS', message: `line 1: ${pending.number} is VOID: there is nothing to credit`, row: null, field: 'lines.1.invoiceLine' },
    ]);
    const noReason = await t.ok(REQUEST, { input: { customer: 'BLOOMS', lines: [{ kind: 'AMOUNT', amount: '5' }] } }, sales);
    expect(noReason.requestCredit.errors).toEqual([
      { code: 'REQUIRED', message: 'a credit needs a reason (see creditReasons): Settings.creditReasonRequired is on', row: null, field: 'reason' },
    ]);
    const inactive = await t.ok(REQUEST, { input: { customer: 'BLOOMS', reason: 'LATE', lines: [{ kind: 'AMOUNT', amount: '5' }] } }, sales);
    expect(inactive.requestCredit.errors).toEqual([
      { code: 'UNKNOWN_CREDIT_REASON', message: 'credit reason LATE is no longer in use', row: null, field: 'reason' },
    ]);
  });

  it('replays a retried request with the same idempotency key, and records every step in the audit trail', async () => {
    const input = { customer: 'BLOOMS', reason: 'OTHER', notes: 'goodwill', lines: [{ kind: 'AMOUNT', amount: '5.00' }] };
    const first = await t.ok(REQUEST, { input, key: 'credit-key-1' }, sales);
    const second = await t.ok(REQUEST, { input, key: 'credit-key-1' }, sales);
    expect(second.requestCredit.credit.number).toBe(first.requestCredit.credit.number);
    const conflict = await t.ok(REQUEST, { input: { ...input, notes: 'other' }, key: 'credit-key-1' }, sales);
    expect(conflict.requestCredit.errors[0].code).toBe('IDEMPOTENCY_CONFLICT');
    const { number } = first.requestCredit.credit;
    await t.ok(
      `mutation { updateCredit(number: "${number}", input: { notes: "goodwill, late truck", lines: [{ kind: AMOUNT, amount: "7" }] }) { credit { total notes version } errors { code } } }`,
      undefined,
      sales,
    );
    await t.ok(APPROVE, { number }, manager);
    const updateApproved = await t.ok(`mutation { updateCredit(number: "${number}", input: { notes: "x" }) { errors { code } } }`, undefined, sales);
    expect(updateApproved.updateCredit.errors).toEqual([{ code: 'INVALID_STATUS' }]);
    await t.ok(VOID, { number, reason: 'customer paid after all' }, manager);
    const credit = await t.ok(`{ credit(number: "${number}") { status total notes voidReason } }`);
    expect(credit.credit).toEqual({ status: 'VOID', total: '7.00', notes: 'goodwill, late truck', voidReason: 'customer paid after all' });
    const audit = await t.ok(`{ auditEvents(filter: { entity: "Credit" }, first: 100) { nodes { action entityId } } }`);
    const creditId = String((await t.ok(`{ credit(number: "${number}") { id } }`)).credit.id);
    expect(
      audit.auditEvents.nodes
        .filter((e: { entityId: string }) => e.entityId === creditId)
        .map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['approve', 'request', 'update', 'void'].sort());
  });

  it('lets a customer claim on its own invoices only, see only its own credits, and approve nothing', async () => {
    const roses = (globalThis as Record<string, unknown>).__roses as string[];
    const other = await invoiceOf(t, 'FRESHMART', [roses[5]], '1.00');
    const claim = await t.ok(
      REQUEST,
      { input: { invoice: invoice.number, reason: 'DEHYDRATED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 10 }] } },
      blooms,
    );
    expect(claim.requestCredit.credit).toMatchObject({ status: 'PENDING', customer: { code: 'BLOOMS' }, total: '8.00' });
    const foreign = await t.ok(
      REQUEST,
      { input: { invoice: other.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: other.lineId, units: 1 }] } },
      blooms,
    );
    expect(foreign.requestCredit).toEqual({
      credit: null,
      errors: [
        { code: 'NOT_FOUND', message: `no invoice ${other.number}`, row: null, field: 'invoice' },
        { code: 'NOT_FOUND', message: `line 1: no invoice line ${other.lineId}`, row: null, field: 'lines.1.invoiceLine' },
      ],
    });
    // Another customer's line answers as a missing one, never naming its invoice or what is left on it.
    const byLine = await t.ok(REQUEST, { input: { reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: other.lineId, units: 1 }] } }, blooms);
    expect(byLine.requestCredit).toEqual({
      credit: null,
      errors: [{ code: 'NOT_FOUND', message: `line 1: no invoice line ${other.lineId}`, row: null, field: 'lines.1.invoiceLine' }],
    });
    const noInvoice = await t.ok(REQUEST, { input: { reason: 'OTHER', lines: [{ kind: 'AMOUNT', amount: '5' }] } }, blooms);
    expect(noInvoice.requestCredit.errors).toEqual([{ code: 'REQUIRED', message: 'a claim names the invoice it is about', row: null, field: 'invoice' }]);
    await t.ok(REQUEST, { input: { invoice: other.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: other.lineId, units: 1 }] } }, sales);
    const mine = await t.ok(`{ credits { totalCount nodes { customer { code } } } }`, undefined, blooms);
    expect(new Set(mine.credits.nodes.map((c: { customer: { code: string } }) => c.customer.code))).toEqual(new Set(['BLOOMS']));
    const all = await t.ok(`{ credits(filter: { customer: "FRESHMART" }) { totalCount } }`, undefined, accounting);
    expect(all.credits.totalCount).toBe(1);
    for (const secret of [blooms, sales, accounting]) {
      const denied = await t.gql(APPROVE, { number: claim.requestCredit.credit.number }, secret);
      expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const accountingRequest = await t.gql(REQUEST, { input: { customer: 'BLOOMS', reason: 'OTHER', lines: [{ kind: 'AMOUNT', amount: '1' }] } }, accounting);
    expect(accountingRequest.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('gives one credit and one refusal to two concurrent requests for the last 100 stems, from two server processes', async () => {
    const roses = (globalThis as Record<string, unknown>).__roses as string[];
    const one = await invoiceOf(t, 'BLOOMS', [roses[6]], '0.80');
    const second = await startTestServer({ databaseUrl: t.databaseUrl });
    try {
      for (let round = 0; round < 3; round++) {
        const target = round === 0 ? one : await invoiceOf(t, 'BLOOMS', [roses[7 + round - 1]], '0.80');
        const input = { invoice: target.number, reason: 'SHORT', lines: [{ kind: 'QUANTITY', invoiceLine: target.lineId, units: 100 }] };
        const results = await Promise.all([t.ok(REQUEST, { input }), second.ok(REQUEST, { input })]);
        const credits = results.map((r) => r.requestCredit.credit).filter(Boolean);
        const refusals = results.flatMap((r) => r.requestCredit.errors);
        expect(credits).toHaveLength(1);
        expect(refusals).toEqual([
          {
            code: 'CREDIT_UNITS_EXCEEDED',
            message: `line 1: ${target.number} line 1 (ROSE-FREEDOM-50) has 0 of its 100 units left to credit; 100 asked`,
            row: null,
            field: 'lines.1.units',
          },
        ]);
      }
    } finally {
      await second.close();
    }
  });
});
