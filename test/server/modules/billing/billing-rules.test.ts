// The billing decisions as pure functions: no database.
import { describe, expect, it } from 'vitest';
import {
  billsOn,
  boxIssue,
  creditLimitIssue,
  invoiceTruckDate,
  isFulfilled,
  mayJoin,
  releasedState,
  separationKey,
  holidayAfter,
  splitBox,
  splitByHolidayAndTransit,
  type BoxFacts,
  type DemandToBill,
  type InvoiceFacts,
  type ItemFacts,
  type SeparationSettings,
} from '../../../../server/src/modules/billing/billing-rules';

const unit = (demandUnits: number, stillNeeded: number, truckDate = '2027-01-10'): DemandToBill => ({ sellBy: 'UNIT', truckDate, demandUnits, stillNeeded });
const byBox = (stillNeeded: number, truckDate = '2027-01-10'): DemandToBill => ({ sellBy: 'BOX', truckDate, demandUnits: 100, stillNeeded });

describe('splitBox: which units of a box each line bills', () => {
  it.each<[string, { units: number; unitsRemaining: number; billUnitsAsBoxes: boolean }, DemandToBill[], Array<{ index: number; units: number }>]>([
    ['a line by the box takes the box', { units: 100, unitsRemaining: 100, billUnitsAsBoxes: false }, [byBox(2)], [{ index: 0, units: 100 }]],
    ['a line by the box that needs nothing takes nothing', { units: 100, unitsRemaining: 100, billUnitsAsBoxes: false }, [byBox(0)], []],
    [
      'a unit line bills what it needs; the rest stays (box opened)',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: false },
      [unit(150, 150)],
      [{ index: 0, units: 150 }],
    ],
    [
      'billUnitsAsBoxes: one unit line bills the whole box (its units + the rounding remainder)',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true },
      [unit(150, 150)],
      [{ index: 0, units: 500 }],
    ],
    [
      'pooled, billUnitsAsBoxes: each line its own units (issue 15 point 1: 200 + 300, not 500 + 0)',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true },
      [unit(200, 200), unit(300, 300)],
      [
        { index: 0, units: 200 },
        { index: 1, units: 300 },
      ],
    ],
    [
      'pooled, billUnitsAsBoxes: the remainder goes to the most future truck date',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true },
      [unit(150, 150, '2027-01-11'), unit(200, 200, '2027-01-10')],
      [
        { index: 0, units: 300 },
        { index: 1, units: 200 },
      ],
    ],
    [
      'pooled, billUnitsAsBoxes: a tie on truck date gives the remainder to the first line',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true },
      [unit(150, 150), unit(200, 200)],
      [
        { index: 0, units: 300 },
        { index: 1, units: 200 },
      ],
    ],
    [
      'billUnitsAsBoxes: a line already part billed by hand bills only what it needs + the remainder',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true },
      [unit(300, 100)],
      [{ index: 0, units: 300 }],
    ],
    [
      'billUnitsAsBoxes: a fully billed line gets no remainder; its units stay in the box',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true },
      [unit(200, 0), unit(250, 250, '2027-01-09')],
      [{ index: 1, units: 300 }],
    ],
    [
      'pooled, not as boxes: each line its own units, the rest stays',
      { units: 500, unitsRemaining: 500, billUnitsAsBoxes: false },
      [unit(120, 120), unit(180, 180)],
      [
        { index: 0, units: 120 },
        { index: 1, units: 180 },
      ],
    ],
    [
      'an opened box never bills more than it still holds',
      { units: 500, unitsRemaining: 100, billUnitsAsBoxes: true },
      [unit(300, 300), unit(200, 200)],
      [{ index: 0, units: 100 }],
    ],
  ])('%s', (_name, box, demands, expected) => {
    const items = splitBox(box, demands);
    expect(items).toEqual(expected);
    // Never more than the box holds, never a line beyond its need plus the box's rounding remainder.
    expect(items.reduce((sum, item) => sum + item.units, 0)).toBeLessThanOrEqual(box.unitsRemaining);
    const remainder = Math.max(0, box.units - demands.reduce((sum, d) => sum + d.demandUnits, 0));
    for (const item of items)
      if (demands[item.index].sellBy === 'UNIT')
        expect(item.units).toBeLessThanOrEqual(demands[item.index].stillNeeded + (box.billUnitsAsBoxes ? remainder : 0));
  });
});

describe('separations of holiday and in-transit', () => {
  it.each([
    ['BOX', true],
    ['UNIT', false],
  ] as const)('items of a line sold by %s are split: %s', (sellBy, split) => {
    expect(splitByHolidayAndTransit(sellBy)).toBe(split);
  });
});

describe('isFulfilled: releaseFulfilled applies when every line of the box needs nothing more', () => {
  it.each([
    [[0], true],
    [[0, 0], true],
    [[0, 5], false],
    [[3], false],
    [[], false],
  ])('%j -> %s', (needs, expected) => {
    expect(isFulfilled(needs)).toBe(expected);
  });
});

describe('billsOn: autoBilling, one row per value', () => {
  it.each([
    ['OFF', { confirmation: false, 'inbound-scan': false, 'outbound-scan': false }],
    ['ON_OUTBOUND_SCAN', { confirmation: false, 'inbound-scan': false, 'outbound-scan': true }],
    ['ON_MANUAL_CONFIRMATION', { confirmation: true, 'inbound-scan': false, 'outbound-scan': false }],
    ['ON_INCOMING_SCAN_OR_CONFIRMATION', { confirmation: true, 'inbound-scan': true, 'outbound-scan': false }],
  ] as const)('%s', (mode, expected) => {
    for (const [event, bills] of Object.entries(expected)) expect(billsOn(mode, event as keyof typeof expected)).toBe(bills);
  });
});

describe('boxIssue: one row per issue code', () => {
  const line = { customerId: 1, carrierId: 1, prebookNumber: 'PB-1', prebookStatus: 'OPEN', truckDate: '2027-01-10' };
  const base: BoxFacts = {
    label: 'B-1',
    source: 'AUTO_BILLING',
    today: '2027-01-10',
    delayDaysAllowed: 0,
    lines: [line],
    customer: { code: 'C', excludedFromAutoBilling: false, creditHold: false },
  };
  it.each<[string, Partial<BoxFacts>, string | null]>([
    ['bills: nothing in the way', {}, null],
    ['MIXED_BOX: two customers', { lines: [line, { ...line, customerId: 2, prebookNumber: 'PB-2' }] }, 'MIXED_BOX'],
    ['MIXED_BOX: two carriers', { lines: [line, { ...line, carrierId: 2 }] }, 'MIXED_BOX'],
    ['PREBOOK_CANCELLED', { lines: [{ ...line, prebookStatus: 'CANCELLED' }] }, 'PREBOOK_CANCELLED'],
    ['PREBOOK_CLOSED', { lines: [{ ...line, prebookStatus: 'CLOSED' }] }, 'PREBOOK_CLOSED'],
    ['a closed prebook beside an open one bills', { lines: [{ ...line, prebookStatus: 'CLOSED' }, line] }, null],
    ['CUSTOMER_EXCLUDED', { customer: { code: 'C', excludedFromAutoBilling: true, creditHold: false } }, 'CUSTOMER_EXCLUDED'],
    ['an excluded customer is allocated by hand', { source: 'ALLOCATION', customer: { code: 'C', excludedFromAutoBilling: true, creditHold: false } }, null],
    ['CREDIT_HOLD', { customer: { code: 'C', excludedFromAutoBilling: false, creditHold: true } }, 'CREDIT_HOLD'],
    ['CREDIT_HOLD also refuses allocation', { source: 'ALLOCATION', customer: { code: 'C', excludedFromAutoBilling: false, creditHold: true } }, 'CREDIT_HOLD'],
    ['TRUCK_DATE_PASSED: one day late, none allowed', { today: '2027-01-11' }, 'TRUCK_DATE_PASSED'],
    ['within delayDaysAllowed', { today: '2027-01-12', delayDaysAllowed: 2 }, null],
    ['the most future truck date decides lateness', { today: '2027-01-11', lines: [line, { ...line, truckDate: '2027-01-11' }] }, null],
    ['allocation is never too late', { source: 'ALLOCATION', today: '2027-02-01' }, null],
  ])('%s', (_name, change, code) => {
    const issue = boxIssue({ ...base, ...change });
    expect(issue?.code ?? null).toBe(code);
    if (issue) expect(issue.message.startsWith('B-1: ')).toBe(true);
  });

  it.each<[bigint | null, bigint, bigint, string | null]>([
    [null, 1_000_000n, 1_000_000n, null],
    [3_500_000n, 2_000_000n, 1_500_000n, null],
    [3_500_000n, 2_000_000n, 1_500_001n, 'CREDIT_LIMIT'],
    [0n, 0n, 0n, null],
  ])('CREDIT_LIMIT: limit %s, exposure %s, amount %s -> %s', (creditLimit, exposure, amount, code) => {
    const issue = creditLimitIssue({ label: 'B-1', customerCode: 'C', creditLimit, creditLimitText: '350.00', exposure, amount });
    expect(issue?.code ?? null).toBe(code);
  });

  it('the invoice takes the most future truck date', () => {
    expect(invoiceTruckDate(['2027-01-10', '2027-01-12', '2027-01-11'])).toBe('2027-01-12');
  });
});

describe('consolidation: one row per separation setting', () => {
  const off: SeparationSettings = {
    separateInTransitAndOnHand: false,
    consolidateOpenMarket: true,
    separateHoliday: false,
    separateByPortOfOrigin: false,
    separateByPickTicket: false,
  };
  const invoice: InvoiceFacts = { status: 'PENDING', pickTicketPrinted: false, holiday: false, portOfOrigin: 'BOG', inTransit: false, hasOpenMarket: false };
  const box: ItemFacts = { sellBy: 'BOX', holiday: false, received: true, portOfOrigin: 'BOG', openMarket: false, priced: true, consolidatesConfirmed: false };
  const unit: ItemFacts = { ...box, sellBy: 'UNIT' };
  it.each<[string, Partial<SeparationSettings>, Partial<InvoiceFacts>, ItemFacts, boolean]>([
    ['nothing separates', {}, {}, box, true],
    ['separateHoliday on: a holiday box stays off a regular invoice', { separateHoliday: true }, {}, { ...box, holiday: true }, false],
    ['separateHoliday on: holiday units may join', { separateHoliday: true }, {}, { ...unit, holiday: true }, true],
    ['separateHoliday off: a holiday box joins', {}, {}, { ...box, holiday: true }, true],
    ['separateHoliday on: an invoice of unit items only takes a holiday box', { separateHoliday: true }, { inTransit: null }, { ...box, holiday: true }, true],
    [
      'separateHoliday on: an invoice of unit items only takes a regular box, whatever its stored flag',
      { separateHoliday: true },
      { inTransit: null, holiday: true },
      box,
      true,
    ],
    ['a transfer of components stays off a sale', {}, {}, { ...box, transfer: true }, false],
    ['a sale stays off a transfer of components', {}, { kind: 'TRANSFER' }, box, false],
    ['a transfer of components joins a transfer', {}, { kind: 'TRANSFER' }, { ...box, transfer: true }, true],
    [
      'separateInTransitAndOnHand on: an in-transit box stays off an on-hand invoice',
      { separateInTransitAndOnHand: true },
      {},
      { ...box, received: false },
      false,
    ],
    ['separateInTransitAndOnHand on: in-transit units may join', { separateInTransitAndOnHand: true }, {}, { ...unit, received: false }, true],
    [
      'separateInTransitAndOnHand on: an invoice of units only takes any box',
      { separateInTransitAndOnHand: true },
      { inTransit: null },
      { ...box, received: false },
      true,
    ],
    ['separateInTransitAndOnHand off', {}, {}, { ...box, received: false }, true],
    ['separateByPortOfOrigin on: another port stays off', { separateByPortOfOrigin: true }, {}, { ...box, portOfOrigin: 'UIO' }, false],
    ['separateByPortOfOrigin on: units of another port too', { separateByPortOfOrigin: true }, {}, { ...unit, portOfOrigin: 'UIO' }, false],
    ['separateByPortOfOrigin on: an invoice of several ports takes none', { separateByPortOfOrigin: true }, { portOfOrigin: null }, box, false],
    ['separateByPortOfOrigin off', {}, {}, { ...box, portOfOrigin: 'UIO' }, true],
    ['separateByPickTicket on: a printed invoice is never reused', { separateByPickTicket: true }, { pickTicketPrinted: true }, box, false],
    ['separateByPickTicket off: a printed invoice is reused', {}, { pickTicketPrinted: true }, box, true],
    ['consolidateOpenMarket off: an open-market item stays off', { consolidateOpenMarket: false }, {}, { ...box, openMarket: true }, false],
    ['consolidateOpenMarket off: an invoice with open market is not reused', { consolidateOpenMarket: false }, { hasOpenMarket: true }, box, false],
    ['consolidateOpenMarket on', {}, { hasOpenMarket: true }, { ...box, openMarket: true }, true],
    ['a CONFIRMED invoice: only with consolidateInvoicesOnAutoBilling', {}, { status: 'CONFIRMED' }, box, false],
    ['a CONFIRMED invoice takes priced items of such a customer', {}, { status: 'CONFIRMED' }, { ...box, consolidatesConfirmed: true }, true],
    ['a CONFIRMED invoice never takes a pending price', {}, { status: 'CONFIRMED' }, { ...box, consolidatesConfirmed: true, priced: false }, false],
    ['a VOID invoice takes nothing', {}, { status: 'VOID' }, box, false],
    ['a finance charge takes no goods', {}, { status: 'CONFIRMED', kind: 'FINANCE_CHARGE' }, { ...box, consolidatesConfirmed: true }, false],
    ['a fee takes no goods', {}, { status: 'CONFIRMED', kind: 'FEE' }, { ...box, consolidatesConfirmed: true }, false],
  ])('%s', (_name, settings, change, item, joins) => {
    expect(mayJoin({ ...off, ...settings }, { ...invoice, ...change }, item)).toBe(joins);
  });

  it('the separation key splits items in boxes by holiday and transit, never unit items; ports and open market split both', () => {
    const all: SeparationSettings = {
      separateInTransitAndOnHand: true,
      consolidateOpenMarket: false,
      separateHoliday: true,
      separateByPortOfOrigin: true,
      separateByPickTicket: true,
    };
    expect(separationKey(all, { ...box, holiday: true, received: false, openMarket: true })).toEqual([true, 'BOG', true, 'open-market']);
    expect(separationKey(all, { ...unit, holiday: true, received: false, openMarket: true })).toEqual([null, 'BOG', null, 'open-market']);
    expect(separationKey(off, { ...box, holiday: true, received: false, openMarket: true })).toEqual([null, null, null, null]);
  });
});

describe('holidayAfter: an invoice is flagged by its items in boxes only', () => {
  it.each<[string, { holiday: boolean; inTransit: boolean | null } | null, { sellBy: 'BOX' | 'UNIT'; holiday: boolean }, boolean]>([
    ['a new invoice for a holiday box', null, { sellBy: 'BOX', holiday: true }, true],
    ['a new invoice for holiday units is not flagged', null, { sellBy: 'UNIT', holiday: true }, false],
    ['units on an invoice of units only leave it unflagged', { holiday: false, inTransit: null }, { sellBy: 'UNIT', holiday: true }, false],
    ['the first box sets the flag of an invoice of units', { holiday: false, inTransit: null }, { sellBy: 'BOX', holiday: true }, true],
    ['the first box clears a flag stored on an invoice of units', { holiday: true, inTransit: null }, { sellBy: 'BOX', holiday: false }, false],
    ['an invoice holding boxes keeps its flag', { holiday: true, inTransit: false }, { sellBy: 'UNIT', holiday: false }, true],
  ])('%s', (_name, invoice, item, flag) => {
    expect(holidayAfter(invoice, item)).toBe(flag);
  });
});

describe('releaseFulfilled: one row per value', () => {
  it.each([
    ['OPEN_MARKET', { inventoryType: 'M', customer: null }],
    ['KEEP_CUSTOMER', null],
  ] as const)('%s', (mode, expected) => {
    expect(releasedState(mode)).toEqual(expected);
  });
});
