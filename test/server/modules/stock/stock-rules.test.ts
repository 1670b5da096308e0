import { describe, expect, it } from 'vitest';
import { ageBandOf, ageDays, arrivalDateOf, isAged } from '../../../../server/src/modules/box/box-age';
import { ageBandsProblem } from '../../../../server/src/modules/settings/age-bands';
import { DEFAULT_AGE_BANDS } from '../../../../server/src/modules/settings/settings.entity';
import { scannedFinding } from '../../../../server/src/modules/stock/count-findings';
import { percentOneDecimal, shrinkFigures } from '../../../../server/src/modules/stock/shrink';

describe('box age', () => {
  it('is the company today minus the arrival date: arrived Jan 25, as of Jan 28, age 3', () => {
    expect(ageDays('2027-01-25', '2027-01-28')).toBe(3);
  });

  it('is negative in transit: arriving Feb 5, as of Feb 1, age −4', () => {
    expect(ageDays('2027-02-05', '2027-02-01')).toBe(-4);
  });

  it('arrives on the company date of its inbound scan once received, else on its shipment’s expected arrival', () => {
    // 02:30 UTC on Jan 26 is still Jan 25 in New York.
    const scanned = { received: true, receivedAt: new Date('2027-01-26T02:30:00Z'), expectedArrival: '2027-01-20' };
    expect(arrivalDateOf(scanned, 'America/New_York')).toBe('2027-01-25');
    expect(arrivalDateOf(scanned, 'UTC')).toBe('2027-01-26');
    expect(arrivalDateOf({ received: false, receivedAt: null, expectedArrival: '2027-02-05' }, 'UTC')).toBe('2027-02-05');
  });

  it('falls in the first band that holds it: 1-4, 5-9, 10+ by default; none in transit', () => {
    const bands = DEFAULT_AGE_BANDS;
    expect([0, 1, 4, 5, 9, 10, 400].map((age) => ageBandOf(age, bands))).toEqual(['1-4', '1-4', '1-4', '5-9', '5-9', '10+', '10+']);
    expect(ageBandOf(-1, bands)).toBeNull();
    expect(ageBandOf(20, [{ name: 'fresh', maxDays: 3 }])).toBeNull();
  });

  it('is aged past its category’s maximum: max 7 days, a box aged 8 is aged, aged 7 is not, no maximum never', () => {
    expect(isAged(8, 7)).toBe(true);
    expect(isAged(7, 7)).toBe(false);
    expect(isAged(400, null)).toBe(false);
  });

  it('keeps age bands only with names, growing maxDays and only the last open', () => {
    expect(ageBandsProblem(DEFAULT_AGE_BANDS)).toBeNull();
    expect(ageBandsProblem([])).toMatch(/1 to 10/);
    expect(
      ageBandsProblem([
        { name: 'a', maxDays: null },
        { name: 'b', maxDays: 3 },
      ]),
    ).toMatch(/only the last/);
    expect(
      ageBandsProblem([
        { name: 'a', maxDays: 5 },
        { name: 'b', maxDays: 5 },
      ]),
    ).toMatch(/grow/);
    expect(
      ageBandsProblem([
        { name: 'a', maxDays: 1 },
        { name: 'a', maxDays: 5 },
      ]),
    ).toMatch(/twice/);
    expect(ageBandsProblem([{ name: ' ', maxDays: 1 }])).toMatch(/name/);
  });
});

describe('shrink figures', () => {
  it('1,000 stems at 0.40, 800 sold at 0.80, 150 expired and 20 shrunk: 17.0 % by units and by cost, margin 252.00', () => {
    expect(
      shrinkFigures({ receivedUnits: 1000, receivedValue: '400.0000', soldCost: '320.0000', revenue: '640.0000', lossUnits: 170, lossValue: '68.00' }),
    ).toEqual({ shrinkPercentByUnits: '17.0', shrinkPercentByCost: '17.0', marginAfterLosses: '252.00' });
  });

  it('rounds percentages half up to one decimal and has none when nothing was received', () => {
    expect(percentOneDecimal(1n, 3n)).toBe('33.3');
    expect(percentOneDecimal(2n, 3n)).toBe('66.7');
    expect(percentOneDecimal(1n, 2000n)).toBe('0.1');
    expect(percentOneDecimal(5n, 0n)).toBeNull();
    expect(shrinkFigures({ receivedUnits: 0, receivedValue: '0', soldCost: '10', revenue: '8', lossUnits: 0, lossValue: '0' })).toEqual({
      shrinkPercentByUnits: null,
      shrinkPercentByCost: null,
      marginAfterLosses: '-2.00',
    });
  });
});

describe('count findings', () => {
  const box = { locationId: 1, locationCode: 'MIA', shippedOut: false, invoiceNumber: null };
  it('matches a box in inventory at the counted location and names what to do with any other label', () => {
    expect(scannedFinding({ ...box, status: 'IN_INVENTORY' }, 1)).toBeNull();
    expect(scannedFinding({ ...box, status: 'IN_INVENTORY', locationCode: 'NYC' }, 2)?.finding).toBe('OTHER_LOCATION');
    expect(scannedFinding({ ...box, status: null }, 1)?.finding).toBe('UNKNOWN');
    expect(scannedFinding({ ...box, status: 'STAGED' }, 1)?.action).toMatch(/confirm/);
    expect(scannedFinding({ ...box, status: 'INVOICED', invoiceNumber: 'INV-000001' }, 1)).toEqual({
      finding: 'INVOICED',
      action: expect.stringContaining('INV-000001'),
    });
    expect(scannedFinding({ ...box, status: 'INVOICED', shippedOut: true }, 1)).toEqual({ finding: 'SHIPPED', action: expect.stringContaining('RETURN scan') });
    expect(scannedFinding({ ...box, status: 'VOID' }, 1)?.finding).toBe('VOID');
  });
});
