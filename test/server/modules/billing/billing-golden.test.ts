// Golden master of automatic billing, consolidation and allocation.
//
// One deterministic scenario, driven through GraphQL only, exercises the
// billing paths of docs/maintainers.md#billing-rules; then the whole resulting state
// (read with plain SQL, plus a few GraphQL reads of derived values) and every
// payload of the billing mutations are compared with a committed snapshot.
// Any change of observable behaviour shows as a diff of
// __snapshots__/billing-golden.json. Database ids and timestamps never appear;
// dates are offsets from today (D+10, D-3); labels and document numbers are
// kept (a fresh test database numbers them the same way every run).
//
// When the snapshot differs on purpose, review the diff, then refresh it with
// `npx vitest run test/server/modules/billing/billing-golden.test.ts -u`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import {
  INVOICE,
  allocate,
  buyAndShip,
  call,
  calls,
  carnations,
  confirm,
  day,
  derived,
  dump,
  fillFromOpenMarket,
  invoiceLineId,
  invoiceMutation,
  invoiceOf,
  labelsOf,
  massAllocate,
  openStock,
  prebooks,
  rose,
  scan,
  settings,
  setup,
  stage,
  startGoldenServer,
  stopGoldenServer,
  t,
  unallocate,
  upsertCustomer,
  writesNothing,
} from './billing-golden.scenario';

beforeAll(startGoldenServer);
afterAll(stopGoldenServer);

// ---------------------------------------------------------------------------

it('billing golden master: the whole scenario ends in the committed state', async () => {
  const started = Date.now();
  await seedCatalogue(t);
  await upsertCustomer({ code: 'LIMITED', name: 'Credit-limited florist', openBalance: '100', creditLimit: '350' });
  await upsertCustomer({ code: 'EXCLUDED', name: 'Excluded from auto-billing', excludedFromAutoBilling: true });
  await upsertCustomer({ code: 'CONSOL', name: 'Consolidates into confirmed invoices', consolidateInvoicesOnAutoBilling: true });
  await upsertCustomer({ code: 'SPEC', name: 'Speculative buying', kind: 'FUTURE_SALES' });
  await upsertCustomer({ code: 'HOLDLATER', name: 'Put on hold after ordering' });
  await setup(
    `mutation { upsertProducts(input: [{ code: "TULIP-RED", name: "Tulip red", kind: "LIVE", unit: "STEM", defaultBoxType: "QB", defaultUnitsPerBox: 50 }]) { errors { code message } } }`,
  );

  // A. Consolidation keys, ON_MANUAL_CONFIRMATION. Confirmation by labels, then by purchase orders:
  // later boxes go onto the invoice the earlier call made when customer, ship-to, carrier, truck date
  // and customer PO match; a unit line opens its box and releases the rest (OPEN_MARKET).
  await settings();
  const a1 = await stage([{ customer: 'FRESHMART', shipTo: 'DC-ATL', customerPo: 'C-1', truckDay: 10, lines: [rose(2), carnations(150)] }]);
  const [a1Rose] = labelsOf(a1, 0, 1);
  const [a1Carnations] = labelsOf(a1, 0, 2);
  const a1First = await confirm('A1 one box by label: a new invoice', { labels: [a1Rose], key: 'golden-a1' });
  const invoiceA = invoiceOf(a1First, a1Rose);
  await confirm('A1 same idempotency key again: the stored result, nothing new', { labels: [a1Rose], key: 'golden-a1' });
  await confirm('A1 the rest of its PO by purchaseOrders: onto the same invoice', { pos: a1.purchaseOrders });

  // A2. One call, many keys: same key joins invoice A; a different ship-to, customer PO, carrier, truck date
  // or customer each makes a new invoice. Two unit lines of different ship-tos pooled into one box put that
  // box on two invoices. Errors per row (already invoiced, unknown label, unknown PO) do not stop the rest.
  const a2 = await stage([
    { customer: 'FRESHMART', shipTo: 'DC-ATL', customerPo: 'C-1', truckDay: 10, lines: [rose(1)] },
    { customer: 'FRESHMART', shipTo: 'DC-ORL', customerPo: 'C-1', truckDay: 10, lines: [rose(1)] },
    { customer: 'FRESHMART', shipTo: 'DC-ATL', customerPo: 'C-2', truckDay: 10, lines: [rose(1)] },
    { customer: 'FRESHMART', shipTo: 'DC-ATL', customerPo: 'C-1', truckDay: 10, carrier: 'FEDEX', lines: [rose(1)] },
    { customer: 'FRESHMART', shipTo: 'DC-ATL', customerPo: 'C-1', truckDay: 11, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 10, lines: [rose(1)] },
    { customer: 'FRESHMART', shipTo: 'DC-ATL', customerPo: 'C-1', truckDay: 10, lines: [carnations(100)] },
    { customer: 'FRESHMART', shipTo: 'DC-ORL', customerPo: 'C-1', truckDay: 10, lines: [carnations(200)] },
  ]);
  const a2Input = { labels: [a1Rose, 'NO-SUCH-BOX'], pos: [...a2.purchaseOrders, 'PO-999999'] };
  await writesNothing(() => confirm('A2 dry run of the batch', { ...a2Input, dryRun: true }));
  const a2Real = await confirm('A2 the batch', a2Input);
  const invoiceOrl = invoiceOf(a2Real, labelsOf(a2, 1)[0]);

  // B. separateHoliday: on, holiday and regular items never share an invoice; off, a holiday box joins the
  // first invoice that accepts it. BLOOMS does not consolidate into CONFIRMED invoices.
  await settings({ separateHoliday: true });
  const b = await stage([
    { customer: 'BLOOMS', truckDay: 20, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 20, holiday: true, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 20, holiday: true, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 20, lines: [rose(1)] },
  ]);
  const bFirst = await confirm('B separateHoliday on: regular and holiday apart', { labels: [...labelsOf(b, 0), ...labelsOf(b, 1)] });
  await settings({ separateHoliday: false });
  await confirm('B separateHoliday off: a holiday box joins the regular invoice', { labels: labelsOf(b, 2) });
  await invoiceMutation('B confirm the regular invoice', 'confirmInvoice', invoiceOf(bFirst, labelsOf(b, 0)[0]));
  await confirm('B the regular invoice is CONFIRMED: a regular box goes to the holiday one', { labels: labelsOf(b, 3) });

  // C. separateByPortOfOrigin: on, BOG and UIO apart; off, UIO joins the BOG invoice; on again, a BOG box
  // joins that (now mixed) invoice, whose port is still BOG.
  await settings({ separateByPortOfOrigin: true });
  const cBog = await stage(
    [
      { customer: 'FRESHMART', truckDay: 21, lines: [rose(1)] },
      { customer: 'FRESHMART', truckDay: 21, lines: [rose(1)] },
    ],
    { port: 'BOG' },
  );
  const cUio = await stage(
    [
      { customer: 'FRESHMART', truckDay: 21, lines: [rose(1)] },
      { customer: 'FRESHMART', truckDay: 21, lines: [rose(1)] },
    ],
    { port: 'UIO', vendor: 'FLORES-EC' },
  );
  await confirm('C separateByPortOfOrigin on: one invoice per port', { labels: [...labelsOf(cBog, 0), ...labelsOf(cUio, 0)] });
  await settings({ separateByPortOfOrigin: false });
  await confirm('C separateByPortOfOrigin off: UIO joins BOG', { labels: labelsOf(cUio, 1) });
  await settings({ separateByPortOfOrigin: true });
  await confirm('C on again: BOG joins the mixed BOG invoice', { labels: labelsOf(cBog, 1) });

  // D. separateInTransitAndOnHand with an inbound scan (which does not bill under ON_MANUAL_CONFIRMATION).
  await settings({ separateInTransitAndOnHand: true });
  const d = await stage([{ customer: 'BLOOMS', truckDay: 22, lines: [rose(3)] }]);
  const [dOnHand, dInTransit, dLater] = labelsOf(d, 0);
  await scan('D inbound scan: on hand, no billing; repeated and unknown labels', [dOnHand, dOnHand, 'NO-SUCH-BOX'], 'INBOUND');
  await confirm('D separateInTransitAndOnHand on: on-hand and in-transit apart', { labels: [dOnHand, dInTransit] });
  await settings({ separateInTransitAndOnHand: false });
  await confirm('D off: an in-transit box joins the first invoice (on hand)', { labels: [dLater] });

  // E. separateByPickTicket: on, a printed invoice is not reused; off, it is.
  await settings({ separateByPickTicket: true });
  const e = await stage([0, 1, 2].map(() => ({ customer: 'FRESHMART', shipTo: 'DC-ORL', truckDay: 23, lines: [rose(1)] })));
  const eFirst = await confirm('E first box', { labels: labelsOf(e, 0) });
  await invoiceMutation('E print its pick ticket', 'printPickTicket', invoiceOf(eFirst, labelsOf(e, 0)[0]));
  await confirm('E separateByPickTicket on: a new invoice', { labels: labelsOf(e, 1) });
  await settings({ separateByPickTicket: false });
  await confirm('E off: joins the printed invoice', { labels: labelsOf(e, 2) });

  // F. consolidateOpenMarket: off, an invoice holding open-market items is never reused (also by
  // allocations of open-market boxes); on, a prebook box joins a manual invoice of open-market stock.
  const vases = await openStock('VASE-20', 3, { vendor: 'VASECO' });
  await settings({ consolidateOpenMarket: false });
  await call('F manual invoice of an open-market box', `mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { ${INVOICE} } }`, {
    i: { customer: 'BLOOMS', carrier: 'ARMELLINI', truckDate: day(24), lines: [{ labels: [vases[0]], unitPrice: '3' }] },
  });
  const f = await stage([
    { customer: 'BLOOMS', truckDay: 24, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 24, lines: [rose(1)] },
  ]);
  await confirm('F consolidateOpenMarket off: not onto the manual invoice', { labels: labelsOf(f, 0) });
  await settings({ consolidateOpenMarket: true });
  await confirm('F on: onto the manual invoice', { labels: labelsOf(f, 1) });
  await settings({ consolidateOpenMarket: false });
  const [fVases] = await prebooks([{ customer: 'BLOOMS', truckDay: 24, lines: [{ product: 'VASE-20', boxes: 2, unitsPerBox: 12, price: '3' }] }]);
  await allocate('F allocate two open-market boxes with consolidateOpenMarket off', fVases.lineIds[0], [vases[1], vases[2]]);

  // G. consolidateInvoicesOnAutoBilling: CONSOL's boxes go onto its CONFIRMED invoice (even a price-pending
  // one); a confirmed invoice can be neither voided nor unallocated.
  await settings();
  const g = await stage([
    { customer: 'CONSOL', truckDay: 26, lines: [rose(1)] },
    { customer: 'CONSOL', truckDay: 26, lines: [rose(1)] },
    { customer: 'CONSOL', truckDay: 26, lines: [rose(1, { price: null })] },
  ]);
  const gFirst = await confirm('G first box', { labels: labelsOf(g, 0) });
  const invoiceG = invoiceOf(gFirst, labelsOf(g, 0)[0]);
  await invoiceMutation('G confirm it', 'confirmInvoice', invoiceG);
  await confirm('G more boxes join the CONFIRMED invoice', { labels: [...labelsOf(g, 1), ...labelsOf(g, 2)] });
  await invoiceMutation('G void a confirmed invoice: refused', 'voidInvoice', invoiceG);
  const gLine = await invoiceLineId(invoiceG, g.prebooks[0].number);
  await call(
    'G unallocate from a confirmed invoice: refused',
    `mutation($l: ID!) { unallocate(invoiceLine: $l) { invoice { number status } errors { code message field } } }`,
    { l: gLine },
  );
  // BUG at 79caebd: the refusal returns an invoice whose customer is not loaded (INTERNAL_SERVER_ERROR on customer.code).
  await unallocate("G unallocate refused, asking for the invoice's customer", gLine);

  // H. Units and boxes. H1 releaseFulfilled KEEP_CUSTOMER: a unit line over two boxes bills 500 + 150, the
  // rest keeps its customer. H2 billUnitsAsBoxes at NYC: whole boxes (1000 for 650). H3
  // allowMultiplePrebookLinesPerPoLine: one box for two truck dates, dated by the later one.
  await settings({ releaseFulfilled: 'KEEP_CUSTOMER' });
  const h1 = await stage([{ customer: 'FRESHMART', truckDay: 30, lines: [carnations(650)] }]);
  await confirm('H1 KEEP_CUSTOMER: the rest of the opened box stays P for its customer', { pos: h1.purchaseOrders });
  await settings({
    billUnitsAsBoxes: [
      { location: 'NYC', enabled: true },
      { location: 'MIA', enabled: false },
    ],
  });
  const h2 = await stage([{ customer: 'BLOOMS', truckDay: 30, lines: [carnations(650)] }], { location: 'NYC' });
  await confirm('H2 billUnitsAsBoxes: whole boxes', { pos: h2.purchaseOrders });
  await settings({ allowMultiplePrebookLinesPerPoLine: true });
  const h3 = await stage([
    { customer: 'BLOOMS', truckDay: 31, lines: [carnations(200)] },
    { customer: 'BLOOMS', truckDay: 32, lines: [carnations(250)] },
    { customer: 'BLOOMS', truckDay: 31, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 32, lines: [rose(1)] },
  ]);
  await confirm('H3 one box for two prebook lines', { pos: h3.purchaseOrders });
  // H4. Only what a line still needs bills: a line half filled by hand before its boxes came bills one
  // box (onto the ALLOCATION invoice of its key); the other is released to open market.
  await settings();
  const [roseStock] = await openStock('ROSE-FREEDOM-50', 1);
  const h4 = await stage([{ customer: 'FRESHMART', truckDay: 33, lines: [rose(2)] }]);
  await allocate('H4 allocate one open-market box first', h4.prebooks[0].lineIds[0], [roseStock]);
  await confirm('H4 confirm both boxes: one bills, one is released', { pos: h4.purchaseOrders });

  // I. Billing issues: credit limit (reached exactly, then passed, price-pending at cost, no price at
  // landed cost), excluded customer, credit hold, cancelled and closed prebooks, truck date passed.
  const i = await stage([
    {
      customer: 'LIMITED',
      truckDay: 40,
      lines: [
        rose(2, { price: '1.00' }),
        rose(1, { price: null, cost: '0.50' }),
        { product: 'CARN-WHITE', boxes: 1, unitsPerBox: 500, price: null, cost: null },
      ],
    },
    { customer: 'EXCLUDED', truckDay: 40, lines: [rose(1)] },
    { customer: 'HOLDLATER', truckDay: 40, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 40, lines: [rose(1)] },
    { customer: 'BLOOMS', truckDay: 41, lines: [rose(1)] },
    { customer: 'FRESHMART', truckDay: -3, lines: [rose(2)] },
  ]);
  await upsertCustomer({ code: 'HOLDLATER', creditHold: true });
  await call('I cancel a prebook', `mutation($n: String!) { cancelPrebook(number: $n) { prebook { number status } errors { code message } } }`, {
    n: i.prebooks[3].number,
  });
  await call('I close a prebook', `mutation($n: String!) { closePrebook(number: $n) { prebook { number status } errors { code message } } }`, {
    n: i.prebooks[4].number,
  });
  await confirm('I confirm everything: bills what it may, issues for the rest', { pos: i.purchaseOrders });
  // Issues get resolved when the box bills later; an issue of the same code is refreshed, not repeated.
  await call('I reopen the closed prebook', `mutation($n: String!) { reopenPrebook(number: $n) { prebook { number status } errors { code message } } }`, {
    n: i.prebooks[4].number,
  });
  await settings({ autoBilling: 'ON_OUTBOUND_SCAN', delayDaysAllowed: 1 });
  const [late1, late2] = labelsOf(i, 5);
  await scan('I outbound scan: reopened bills, still too late, still on hold', [...labelsOf(i, 4), late1, ...labelsOf(i, 2)], 'OUTBOUND');
  await settings({ autoBilling: 'ON_OUTBOUND_SCAN', delayDaysAllowed: 3 });
  await scan('I outbound scan within delayDaysAllowed: bills', [late2], 'OUTBOUND');
  await settings();
  await allocate("I allocate the excluded customer's box by hand", i.prebooks[1].lineIds[0], labelsOf(i, 1));
  await upsertCustomer({ code: 'HOLDLATER', creditHold: false });
  await massAllocate('I massAllocate the released hold', { customer: 'HOLDLATER' });
  await upsertCustomer({ code: 'LIMITED', creditLimit: null });
  await writesNothing(() => massAllocate('I massAllocate the limited customer, dry run', { customer: 'LIMITED' }, true));
  await massAllocate('I massAllocate the limited customer', { customer: 'LIMITED' });
  await prebooks([{ customer: 'BLOOMS', truckDay: 42, lines: [rose(1)] }]);
  await massAllocate("I the cancelled prebook's box serves a new BLOOMS line", {
    customer: 'BLOOMS',
    product: 'ROSE-FREEDOM-50',
    truckDateFrom: day(42),
    truckDateTo: day(42),
  });

  // J. When billing runs. ON_INCOMING_SCAN_OR_CONFIRMATION: an inbound scan confirms and bills. ON_OUTBOUND_SCAN:
  // confirmation does not bill, the outbound scan does (with a shipping label), also of a staged box. OFF: nothing
  // bills (and a partial shipment leaves its PO CONFIRMED).
  await settings({ autoBilling: 'ON_INCOMING_SCAN_OR_CONFIRMATION', separateInTransitAndOnHand: true });
  const j1 = await stage([{ customer: 'FRESHMART', truckDay: 50, lines: [rose(3)] }]);
  const [j1a, j1b, j1c] = labelsOf(j1, 0);
  await scan('J1 inbound scan confirms and bills', [j1a, j1a], 'INBOUND');
  await confirm('J1 confirmation of an in-transit box bills apart', { labels: [j1b] });
  await scan('J1 inbound scan of a box already billed, and of a staged one', [j1b, j1c], 'INBOUND');
  await settings({ autoBilling: 'ON_OUTBOUND_SCAN' });
  const j2 = await stage([{ customer: 'BLOOMS', truckDay: 51, lines: [rose(3)] }]);
  const [j2a, j2b, j2c] = labelsOf(j2, 0);
  await confirm('J2 confirmation does not bill under ON_OUTBOUND_SCAN', { labels: [j2a, j2b] });
  await scan('J2 outbound scan bills; a staged box leaves unbilled', [j2a, j2c], 'OUTBOUND');
  await scan('J2 outbound scan again', [j2a], 'OUTBOUND');
  await confirm('J2 confirm the box that already left', { labels: [j2c] });
  await settings({ autoBilling: 'OFF' });
  const j3 = await stage([{ customer: 'FRESHMART', truckDay: 52, lines: [rose(2)] }], { shipAtMost: 1 });
  await confirm('J3 OFF: nothing bills', { pos: j3.purchaseOrders });

  // K. A standing order's generated prebook bills as type S.
  await settings();
  const so = await setup(`mutation($i: StandingOrderInput!) { saveStandingOrder(input: $i) { standingOrder { number } errors { code message } } }`, {
    i: {
      customer: 'BLOOMS',
      carrier: 'ARMELLINI',
      weekdays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
      startDate: day(60),
      endDate: day(60),
      lines: [rose(1)],
    },
  });
  const GENERATE = `mutation($from: Date, $to: Date, $so: String) { generateStandingOrderPrebooks(from: $from, to: $to, standingOrder: $so) {
    prebooks { number source truckDate lines { id } } skipped { truckDate code } errors { code message } } }`;
  const generated = await call('K generate the standing order prebook', GENERATE, { from: day(60), to: day(60), so: so.standingOrder.number });
  await call('K generate again: nothing new', GENERATE, { from: day(60), to: day(60), so: so.standingOrder.number });
  const k = await buyAndShip(generated.prebooks[0].lines.map((l: any) => l.id));
  await confirm('K confirm: type S', { pos: k.purchaseOrders });

  // L. Future sales and fillFromOpenMarket: a FUTURE_SALES customer's boxes enter as open market and never
  // auto-bill; fills take them, link in-transit open-market boxes that arrive by the truck date (which
  // bill when confirmed), and take units of opened boxes for unit lines.
  const l1 = await stage([{ customer: 'SPEC', truckDay: 70, lines: [{ product: 'BQT-SPRING', boxes: 2, unitsPerBox: 8, price: '10' }] }], {
    vendor: 'BOUQUETWORKS',
  });
  await confirm('L confirm future-sales boxes: open market, no billing', { pos: l1.purchaseOrders });
  const [lBouquets] = await prebooks([{ customer: 'FRESHMART', truckDay: 71, lines: [{ product: 'BQT-SPRING', boxes: 1, unitsPerBox: 8, price: '12' }] }]);
  await writesNothing(() => fillFromOpenMarket('L fill from the future-sales stock, dry run', lBouquets.lineIds, true));
  await fillFromOpenMarket('L fill from the future-sales stock', lBouquets.lineIds);
  const tulipsInTime = await openStock('TULIP-RED', 2, { confirm: false });
  const tulipsLate = await openStock('TULIP-RED', 1, { confirm: false, arrivalDay: 80 });
  const [lTulips] = await prebooks([{ customer: 'BLOOMS', truckDay: 72, lines: [{ product: 'TULIP-RED', boxes: 2, unitsPerBox: 50, price: '1.50' }] }]);
  await writesNothing(() => fillFromOpenMarket('L link in-transit tulips, dry run', lTulips.lineIds, true));
  await fillFromOpenMarket('L link in-transit tulips that arrive in time', lTulips.lineIds);
  await confirm('L confirm the linked tulips: they bill; the late one is open market', { labels: [...tulipsInTime, ...tulipsLate] });
  const [lCarnations] = await prebooks([{ customer: 'FRESHMART', truckDay: 73, lines: [carnations(300)] }]);
  await fillFromOpenMarket('L fill a unit line from opened boxes', lCarnations.lineIds);

  // M. allocate (refusals, dry run, whole boxes, units), unallocate (last line voids the invoice; another
  // line leaves it pending), voidInvoice (boxes back as they were, twice refused).
  const [reservedVase] = await openStock('VASE-20', 1, { vendor: 'VASECO', customer: 'BOUQUETWORKS' });
  const tulips = await openStock('TULIP-RED', 3);
  const [m] = await prebooks([
    {
      customer: 'BLOOMS',
      truckDay: 80,
      lines: [
        { product: 'TULIP-RED', boxes: 2, unitsPerBox: 50, price: '1.50' },
        { product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3' },
      ],
    },
  ]);
  await allocate('M a box reserved for another customer', m.lineIds[1], [reservedVase]);
  await allocate('M more boxes than the line needs', m.lineIds[0], tulips);
  await writesNothing(() => allocate('M allocate, dry run', m.lineIds[0], tulips.slice(0, 2), { dryRun: true }));
  const mAllocated = await allocate('M allocate two boxes', m.lineIds[0], tulips.slice(0, 2));
  await unallocate('M unallocate the only line: the invoice is void', await invoiceLineId(mAllocated.lines[0].invoiceNumbers[0], m.number));
  const [mCarnations] = await prebooks([{ customer: 'FRESHMART', truckDay: 81, lines: [carnations(300)] }]);
  await allocate('M allocate 120 units of an opened box', mCarnations.lineIds[0], [a1Carnations], { units: 120 });
  await unallocate('M unallocate one line of a bigger invoice', await invoiceLineId(invoiceA, a2.prebooks[0].number));
  await invoiceMutation('M void an auto-billed invoice (it holds part of a shared box)', 'voidInvoice', invoiceOrl);
  await invoiceMutation('M void it again: refused', 'voidInvoice', invoiceOrl);

  // N. Everything left: mass allocation over the whole database (none is young enough for maxAgeDays 0).
  await writesNothing(() => massAllocate('N massAllocate maxAgeDays 0, dry run', { maxAgeDays: 0 }, true));
  await writesNothing(() => massAllocate('N massAllocate everything, dry run', null, true));
  await massAllocate('N massAllocate everything', null);

  const scenarioMs = Date.now() - started;
  const state = { calls, database: await dump(), graphql: await derived() };
  await expect(JSON.stringify(state, null, 1) + '\n').toMatchFileSnapshot('./__snapshots__/billing-golden.json');
  console.log(`billing golden scenario: ${scenarioMs} ms`);
}, 120_000);
