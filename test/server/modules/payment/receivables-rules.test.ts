import { describe, expect, it } from 'vitest';
import { fromScaled, toScaled } from '../../../../server/src/common/decimal';
import {
  agingBucket,
  chargePeriod,
  dueDate,
  financeCharge,
  invoicePaymentStatus,
  planApplications,
} from '../../../../server/src/modules/payment/receivables-rules';

const s = toScaled;
const open = [
  { id: 2, number: 'INV-000002', dueDate: '2027-05-10', open: s('500') },
  { id: 1, number: 'INV-000001', dueDate: '2027-03-31', open: s('920') },
];
const amounts = (plan: ReturnType<typeof planApplications>) => plan.applications.map((a) => [a.number, fromScaled(a.amount)]);

describe('receivables rules', () => {
  it('dates an invoice due its terms after its invoice date', () => {
    expect(dueDate('2027-03-01', 30)).toBe('2027-03-31');
    expect(dueDate('2027-12-15', 30)).toBe('2028-01-14');
  });

  it('buckets by days past due: current until the due date, then 1–30 … 121+', () => {
    expect(agingBucket('2027-03-31', '2027-05-15')).toBe('days31To60'); // 45 days
    expect(agingBucket('2027-05-10', '2027-05-15')).toBe('days1To30'); // 5 days
    expect(agingBucket('2027-05-15', '2027-05-15')).toBe('current');
    expect(agingBucket('2027-05-20', '2027-05-15')).toBe('current');
    expect(agingBucket('2027-01-01', '2027-01-31')).toBe('days1To30');
    expect(agingBucket('2027-01-01', '2027-02-01')).toBe('days31To60');
    expect(agingBucket('2027-01-01', '2027-04-01')).toBe('days61To90'); // 90
    expect(agingBucket('2027-01-01', '2027-04-02')).toBe('days91To120'); // 91
    expect(agingBucket('2027-01-01', '2027-05-01')).toBe('days91To120'); // 120
    expect(agingBucket('2027-01-01', '2027-05-02')).toBe('over120');
  });

  it('applies 1,200.00 oldest due first: 920.00 then 280.00; 1,500.00 leaves 80.00', () => {
    const paid = planApplications(s('1200'), open, null);
    expect(amounts(paid)).toEqual([
      ['INV-000001', '920.00'],
      ['INV-000002', '280.00'],
    ]);
    expect(paid.left).toBe(0n);
    expect(fromScaled(planApplications(s('1500'), open, null).left)).toBe('80.00');
  });

  it('applies a remittance as asked, refusing more than open or than available', () => {
    expect(amounts(planApplications(s('600'), open, [{ invoice: 'inv-000002', amount: s('500') }]))).toEqual([['INV-000002', '500.00']]);
    const over = planApplications(s('600'), open, [
      { invoice: 'INV-000002', amount: s('300') },
      { invoice: 'INV-000002', amount: s('200.01') },
    ]);
    expect(over.errors).toEqual([expect.objectContaining({ code: 'APPLICATION_EXCEEDS_OPEN', row: 2, field: 'amount' })]);
    expect(over.applications).toEqual([]);
    const more = planApplications(s('100'), open, [{ invoice: 'INV-000001', amount: s('100.01') }]);
    expect(more.errors).toEqual([expect.objectContaining({ code: 'APPLICATION_EXCEEDS_UNAPPLIED' })]);
    expect(planApplications(s('100'), open, [{ invoice: 'INV-9', amount: s('1') }]).errors[0]).toMatchObject({ code: 'NOT_FOUND', row: 1, field: 'invoice' });
  });

  it('says UNPAID, PARTIAL or PAID', () => {
    expect(invoicePaymentStatus(s('920'), 0n)).toBe('UNPAID');
    expect(invoicePaymentStatus(s('220'), s('280'))).toBe('PARTIAL');
    expect(invoicePaymentStatus(0n, s('920'))).toBe('PAID');
  });

  it('charges 1.5 % of 920.00 as 13.80, rounded to cents, for the month of asOf', () => {
    expect(fromScaled(financeCharge(s('920'), s('1.5')))).toBe('13.80');
    expect(fromScaled(financeCharge(s('0.33'), s('1.5')))).toBe('0.00');
    expect(fromScaled(financeCharge(s('1'), s('1.5')))).toBe('0.02');
    expect(financeCharge(s('-5'), s('1.5'))).toBe(0n);
    expect(chargePeriod('2027-05-15')).toBe('2027-05');
  });
});
