import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../support/test-server';

const SETTINGS_FIELDS = `autoBilling releaseFulfilled separateInTransitAndOnHand consolidateOpenMarket separateHoliday separateByPortOfOrigin
  separateByPickTicket delayDaysAllowed allowMultiplePrebookLinesPerPoLine freightPerFbe standingOrderLeadDays targetGpm version
  dutyPercentByPort { port percent } billUnitsAsBoxes { location { code } enabled }`;
const UPDATE = `mutation($input: SettingsInput!) { updateSettings(input: $input) { settings { ${SETTINGS_FIELDS} } errors { code message row field } } }`;

describe('settings', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.ok(`mutation { upsertLocations(input: [{ code: "MIA", name: "Miami" }, { code: "NYC", name: "New York" }]) { errors { code } } }`);
  });
  afterAll(() => t.close());

  it('has every billing setting of docs/maintainers.md with its default', async () => {
    const data = await t.ok(`{ settings { ${SETTINGS_FIELDS} } }`);
    expect(data.settings).toEqual({
      autoBilling: 'ON_MANUAL_CONFIRMATION',
      releaseFulfilled: 'OPEN_MARKET',
      separateInTransitAndOnHand: false,
      consolidateOpenMarket: true,
      separateHoliday: true,
      separateByPortOfOrigin: false,
      separateByPickTicket: true,
      delayDaysAllowed: 0,
      allowMultiplePrebookLinesPerPoLine: false,
      freightPerFbe: '0.00',
      standingOrderLeadDays: 14,
      targetGpm: '30.00',
      version: 1,
      dutyPercentByPort: [],
      billUnitsAsBoxes: [
        { location: { code: 'MIA' }, enabled: false },
        { location: { code: 'NYC' }, enabled: false },
      ],
    });
  });

  it('updates the given fields only, per location for billUnitsAsBoxes, and bumps the version', async () => {
    const data = await t.ok(UPDATE, {
      input: {
        autoBilling: 'on_incoming_scan_or_confirmation',
        delayDaysAllowed: 2,
        freightPerFbe: '12.5',
        dutyPercentByPort: [
          { port: 'bog', percent: '6.5' },
          { port: 'UIO', percent: '0' },
        ],
        billUnitsAsBoxes: [{ location: 'new york', enabled: true }],
        version: 1,
      },
    });
    expect(data.updateSettings.errors).toEqual([]);
    expect(data.updateSettings.settings).toMatchObject({
      autoBilling: 'ON_INCOMING_SCAN_OR_CONFIRMATION',
      releaseFulfilled: 'OPEN_MARKET',
      delayDaysAllowed: 2,
      freightPerFbe: '12.50',
      version: 2,
      dutyPercentByPort: [
        { port: 'BOG', percent: '6.50' },
        { port: 'UIO', percent: '0.00' },
      ],
      billUnitsAsBoxes: [
        { location: { code: 'MIA' }, enabled: false },
        { location: { code: 'NYC' }, enabled: true },
      ],
    });
  });

  it('refuses bad values and a stale version, changing nothing', async () => {
    const data = await t.ok(UPDATE, {
      input: {
        autoBilling: 'SOMETIMES',
        delayDaysAllowed: -1,
        targetGpm: '100',
        billUnitsAsBoxes: [{ location: 'LAX', enabled: true }],
        dutyPercentByPort: [
          { port: 'BOG', percent: '1' },
          { port: 'bog', percent: '2' },
        ],
        version: 1,
      },
    });
    expect(data.updateSettings.errors.map((e: any) => [e.field, e.code])).toEqual([
      ['version', 'STALE_VERSION'],
      ['autoBilling', 'INVALID_VALUE'],
      ['delayDaysAllowed', 'INVALID_VALUE'],
      ['dutyPercentByPort.2.port', 'DUPLICATE_CODE'],
      ['targetGpm', 'INVALID_VALUE'],
      ['billUnitsAsBoxes.1.location', 'UNKNOWN_LOCATION'],
    ]);
    expect(data.updateSettings.errors.every((e: any) => e.row === null)).toBe(true);
    const after = await t.ok(`{ settings { autoBilling delayDaysAllowed version } }`);
    expect(after.settings).toEqual({ autoBilling: 'ON_INCOMING_SCAN_OR_CONFIRMATION', delayDaysAllowed: 2, version: 2 });
  });
  it('keeps the company time zone and the seller printed on documents, and refuses a time zone that is not an IANA name', async () => {
    const FIELDS = 'timeZone companyName companyAddress companyPhone companyTaxId';
    const saved = await t.ok(`mutation($input: SettingsInput!) { updateSettings(input: $input) { settings { ${FIELDS} } errors { code field message } } }`, {
      input: {
        timeZone: 'America/New_York',
        companyName: ' Miami Wholesale Flowers ',
        companyAddress: '1 Flower Way\nDoral, FL',
        companyPhone: '305',
        companyTaxId: 'EIN 1',
      },
    });
    expect(saved.updateSettings).toEqual({
      settings: {
        timeZone: 'America/New_York',
        companyName: 'Miami Wholesale Flowers',
        companyAddress: '1 Flower Way\nDoral, FL',
        companyPhone: '305',
        companyTaxId: 'EIN 1',
      },
      errors: [],
    });
    const refused = await t.ok(`mutation($input: SettingsInput!) { updateSettings(input: $input) { settings { ${FIELDS} } errors { code field message } } }`, {
      input: { timeZone: 'Mars/Olympus', companyName: 'x'.repeat(201) },
    });
    expect(refused.updateSettings.errors.map((e: { code: string; field: string }) => [e.code, e.field])).toEqual([
      ['INVALID_VALUE', 'timeZone'],
      ['INVALID_VALUE', 'companyName'],
    ]);
    expect(refused.updateSettings.settings.timeZone).toBe('America/New_York');
    const cleared = await t.ok(`mutation { updateSettings(input: { companyPhone: null }) { settings { companyPhone } errors { code } } }`);
    expect(cleared.updateSettings).toEqual({ settings: { companyPhone: '' }, errors: [] });
  });

  it('reads numbers typed in sheets by one decimal separator, "." by default or ",", and gives every staff role it and the company\'s today', async () => {
    const before = await t.ok(`{ settings { decimalSeparator today timeZone } }`);
    expect(before.settings.decimalSeparator).toBe('.');
    const zone = before.settings.timeZone;
    const expected = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    expect(before.settings.today).toBe(expected);
    const refused = await t.ok(`mutation { updateSettings(input: { decimalSeparator: ";" }) { settings { decimalSeparator } errors { code field } } }`);
    expect(refused.updateSettings).toEqual({ settings: { decimalSeparator: '.' }, errors: [{ code: 'INVALID_VALUE', field: 'decimalSeparator' }] });
    const saved = await t.ok(`mutation { updateSettings(input: { decimalSeparator: "," }) { settings { decimalSeparator } errors { code } } }`);
    expect(saved.updateSettings).toEqual({ settings: { decimalSeparator: ',' }, errors: [] });
    // The sheet tool reads them before a push with whatever staff token pushes the sheet.
    for (const role of ['BUYER', 'SALES', 'SALES_MANAGER', 'ACCOUNTING', 'WAREHOUSE']) {
      const token = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, { input: { name: role, role } });
      const read = await t.ok(`{ settings { decimalSeparator today } }`, undefined, token.createApiToken.secret);
      expect(read.settings).toEqual({ decimalSeparator: ',', today: expected });
    }
    await t.ok(`mutation { updateSettings(input: { decimalSeparator: "." }) { errors { code } } }`);
  });
});
