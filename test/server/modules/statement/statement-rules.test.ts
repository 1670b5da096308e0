// The statement, pure: documents dated and summed as of a day, exact to the cent.
import { describe, expect, it } from 'vitest';
import { buildStatement, openAt } from '../../../../server/src/modules/statement/statement-rules';
import type { StatementRows } from '../../../../server/src/modules/statement/statement.repository';

const invoice = (id: number, date: string, due: string, total: string, kind = 'SALE') => ({
  id,
  number: `INV-${id}`,
  kind,
  status: 'CONFIRMED',
  date,
  due_date: due,
  total,
  customer_po: null,
});

/** INV-1 1,000.00 (Mar 1, due Mar 31) with an 80.00 credit, INV-2 500.00 (Apr 10, due May 10), 1,200.00 paid May 15 oldest first. */
function rows(): StatementRows {
  return {
    invoices: [invoice(1, '2027-03-01', '2027-03-31', '1000.0000'), invoice(2, '2027-04-10', '2027-05-10', '500.0000')],
    credits: [{ id: 1, number: 'CR-1', date: '2027-03-05', invoice_id: 1, invoice_number: 'INV-1', amount: '80.0000', reason: 'Damaged' }],
    payments: [
      {
        id: 1,
        number: 'PMT-1',
        date: '2027-05-15',
        amount: '1200.0000',
        method: 'CHECK',
        reference: 'CHK 1001',
        status: 'POSTED',
        void_date: null,
        void_reason: null,
      },
    ],
    applications: [
      { invoice_id: 1, payment_id: 1, credit_id: null, amount: '920.0000' },
      { invoice_id: 2, payment_id: 1, credit_id: null, amount: '280.0000' },
    ],
  };
}

describe('buildStatement', () => {
  it('Balance Forward for May: opening 1,420.00, the payment, closing 220.00 in 1–30 on May 31', () => {
    const s = buildStatement(rows(), '0', 'BALANCE_FORWARD', '2027-05-01', '2027-05-31');
    expect(s).toMatchObject({ openingBalance: '1420.00', charges: '0.00', credits: '1200.00', closingBalance: '220.00' });
    expect(s.lines).toEqual([
      {
        kind: 'PAYMENT',
        date: '2027-05-15',
        number: 'PMT-1',
        description: 'Check received, ref CHK 1001',
        dueDate: null,
        amount: '-1200.00',
        openAmount: null,
        balance: '220.00',
      },
    ]);
    expect(s.aging).toMatchObject({ current: '0.00', days1To30: '220.00', days31To60: '0.00', total: '220.00', unapplied: '0.00', balance: '220.00' });
  });

  it('Open Items on May 15 before and after the payment day: 920.00 in 31–60 and 500.00 in 1–30, then 220.00', () => {
    const before = buildStatement(rows(), '0', 'OPEN_ITEMS', '2027-05-01', '2027-05-14');
    expect(before.lines.map((l) => [l.number, l.openAmount])).toEqual([
      ['INV-1', '920.00'],
      ['INV-2', '500.00'],
    ]);
    expect(before.aging).toMatchObject({ days1To30: '500.00', days31To60: '920.00', balance: '1420.00' });
    const after = buildStatement(rows(), '0', 'OPEN_ITEMS', '2027-05-01', '2027-05-15');
    expect(after.lines.map((l) => [l.number, l.openAmount])).toEqual([['INV-2', '220.00']]);
  });

  it('a bounced check is paid on its day and reversed on the day it was voided; an NSF fee and a finance charge add to the balance', () => {
    const data = rows();
    data.payments[0] = { ...data.payments[0], status: 'VOID', void_date: '2027-05-20', void_reason: 'NSF' };
    data.invoices.push(invoice(3, '2027-05-21', '2027-06-20', '25.0000', 'FEE'), invoice(4, '2027-05-31', '2027-06-30', '13.8000', 'FINANCE_CHARGE'));
    const s = buildStatement(data, '0', 'BALANCE_FORWARD', '2027-05-01', '2027-05-31');
    expect(s.lines.map((l) => [l.kind, l.date, l.amount, l.balance])).toEqual([
      ['PAYMENT', '2027-05-15', '-1200.00', '220.00'],
      ['NSF_REVERSAL', '2027-05-20', '1200.00', '1420.00'],
      ['FEE', '2027-05-21', '25.00', '1445.00'],
      ['FINANCE_CHARGE', '2027-05-31', '13.80', '1458.80'],
    ]);
    expect(s.closingBalance).toBe('1458.80');
    // Between the payment and the void, the invoices were paid; after it, open again.
    expect(buildStatement(data, '0', 'OPEN_ITEMS', '2027-05-16', '2027-05-16').closingBalance).toBe('220.00');
    const afterVoid = buildStatement(data, '0', 'OPEN_ITEMS', '2027-05-31', '2027-05-31');
    expect(afterVoid.lines.map((l) => [l.number, l.openAmount])).toEqual([
      ['INV-1', '920.00'],
      ['INV-2', '500.00'],
      ['INV-3', '25.00'],
      ['INV-4', '13.80'],
    ]);
  });

  it('an application counts from the later of its payment and its invoice: money received before an invoice is unapplied until it', () => {
    const data: StatementRows = {
      invoices: [invoice(1, '2027-06-10', '2027-07-10', '100.0000')],
      credits: [],
      payments: [
        { id: 1, number: 'PMT-1', date: '2027-06-01', amount: '150.0000', method: 'WIRE', reference: '', status: 'POSTED', void_date: null, void_reason: null },
      ],
      applications: [{ invoice_id: 1, payment_id: 1, credit_id: null, amount: '100.0000' }],
    };
    expect(openAt(data, '2027-06-05').payments.map((p) => p.left)).toEqual([1_500_000n]);
    const june5 = buildStatement(data, '40', 'OPEN_ITEMS', '2027-06-01', '2027-06-05');
    expect(june5.lines.map((l) => [l.kind, l.openAmount])).toEqual([
      ['PRIOR_BALANCE', '40.00'],
      ['UNAPPLIED_PAYMENT', '-150.00'],
    ]);
    expect(june5.closingBalance).toBe('-110.00');
    const june30 = buildStatement(data, '40', 'OPEN_ITEMS', '2027-06-01', '2027-06-30');
    expect(june30.lines.map((l) => [l.kind, l.openAmount])).toEqual([
      ['PRIOR_BALANCE', '40.00'],
      ['UNAPPLIED_PAYMENT', '-50.00'],
    ]);
    expect(june30.aging).toMatchObject({ total: '0.00', unapplied: '50.00', priorBalance: '40.00', balance: '-10.00' });
  });

  it('opening + the period = closing, and the open items add up to it, for every period of random books', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const day = (d: number) => `2027-0${1 + Math.floor(d / 28)}-${String((d % 28) + 1).padStart(2, '0')}`;
    for (let round = 0; round < 50; round++) {
      const data: StatementRows = { invoices: [], credits: [], payments: [], applications: [] };
      for (let i = 1; i <= 6; i++) data.invoices.push(invoice(i, day(random(150)), day(random(150) + 30), `${random(100000)}.${random(100)}`));
      for (let i = 1; i <= 3; i++)
        data.credits.push({
          id: i,
          number: `CR-${i}`,
          date: day(random(150)),
          invoice_id: i % 2 ? i : null,
          invoice_number: null,
          amount: `${random(50)}.25`,
          reason: null,
        });
      for (let i = 1; i <= 4; i++) {
        const voided = random(3) === 0;
        const date = day(random(150));
        data.payments.push({
          id: i,
          number: `PMT-${i}`,
          date,
          amount: `${random(5000)}.10`,
          method: 'ACH',
          reference: '',
          status: voided ? 'VOID' : 'POSTED',
          void_date: voided ? day(random(150)) : null,
          void_reason: null,
        });
        data.applications.push({ invoice_id: 1 + random(6), payment_id: i, credit_id: null, amount: `${random(100)}.01` });
      }
      data.applications.push({ invoice_id: 2, payment_id: null, credit_id: 2, amount: '1.00' });
      const from = day(random(100));
      const to = day(100 + random(60));
      const forward = buildStatement(data, '12.34', 'BALANCE_FORWARD', from, to);
      const cents = (v: string | null) => Math.round(Number(v) * 100);
      expect(cents(forward.openingBalance) + forward.lines.reduce((sum, l) => sum + cents(l.amount), 0)).toBe(cents(forward.closingBalance));
      expect(forward.lines.at(-1)?.balance ?? forward.openingBalance).toBe(forward.closingBalance);
      const open = buildStatement(data, '12.34', 'OPEN_ITEMS', from, to);
      expect(open.closingBalance).toBe(forward.closingBalance);
      expect(open.lines.reduce((sum, l) => sum + cents(l.openAmount), 0)).toBe(cents(open.closingBalance));
      expect(open.aging.balance).toBe(open.closingBalance);
    }
  });
});
