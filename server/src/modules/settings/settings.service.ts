import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../common/request-context';
import { isTimeZone, today } from '../../common/today';
import { checkReference, loadReferences } from '../../common/references';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { assignDefined } from '../../common/upsert-by-code';
import type { UserError } from '../../common/user-error';
import type { SettingsInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { LocationSchema, type Location } from '../location/location.entity';
import { selectSettings } from './settings.repository';
import { ageBandsProblem } from './age-bands';
import { AUTO_BILLING_MODES, DECIMAL_SEPARATORS, RELEASE_FULFILLED_MODES, SettingsSchema, type AgeBand, type PortDuty, type Settings } from './settings.entity';

const SETTINGS_ID = 1;

/** The settings, as values read by one prepared statement (hot paths read them on every scan); updateSettings changes them. */
export async function getSettings(em: EntityManager): Promise<Settings> {
  const settings = await selectSettings(em, SETTINGS_ID);
  if (!settings) throw new Error('the settings row is missing: the database was not migrated');
  return settings;
}

function validateDuties(v: RowValidator, input: SettingsInput['dutyPercentByPort']): PortDuty[] | undefined {
  if (input == null) return undefined;
  const seen = new Map<string, number>();
  const duties: PortDuty[] = [];
  input.forEach((item, index) => {
    const nested = v.nested(`dutyPercentByPort.${index + 1}`, `duty ${index + 1}`);
    const port = nested.code('port', item.port);
    const percent = nested.decimal('percent', item.percent, { required: true, min: 0, max: 1000, maxScale: 3 });
    if (port === undefined || !percent) return;
    const first = seen.get(port);
    if (first !== undefined) nested.fail('DUPLICATE_CODE', 'port', `port ${port} is already listed as dutyPercentByPort.${first}`);
    seen.set(port, index + 1);
    duties.push({ port, percent });
  });
  return duties;
}

const readSettings = new WeakMap<EntityManager, Promise<Settings>>();

/** The settings, read once per entity manager (one request), for resolvers of many rows. */
export function requestSettings(em: EntityManager): Promise<Settings> {
  let found = readSettings.get(em);
  if (!found) {
    found = getSettings(em);
    readSettings.set(em, found);
  }
  return found;
}

/** The company's date today (Settings.timeZone), from the settings read once per request. */
export async function companyToday(em: EntityManager): Promise<string> {
  return today(await requestSettings(em));
}

function validateTimeZone(v: RowValidator, input: string | null | undefined): string | undefined {
  if (input == null) return undefined;
  const name = input.trim();
  if (!isTimeZone(name)) {
    v.fail('INVALID_VALUE', 'timeZone', `timeZone "${name.slice(0, 64)}" is not an IANA time zone name (for example America/New_York)`);
    return undefined;
  }
  return name;
}

function validateAgeBands(v: RowValidator, input: SettingsInput['ageBands']): AgeBand[] | undefined {
  if (input == null) return undefined;
  const bands = input.map((band) => ({ name: band.name.trim(), maxDays: band.maxDays ?? null }));
  const problem = ageBandsProblem(bands);
  if (problem) {
    v.fail('INVALID_VALUE', 'ageBands', `ageBands: ${problem}`);
    return undefined;
  }
  return bands;
}

export async function updateSettings(ctx: RequestContext, input: SettingsInput): Promise<{ settings: Settings; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const settings = await em.findOneOrFail(SettingsSchema, SETTINGS_ID, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const v = new RowValidator(null);
    if (input.version != null && input.version !== settings.version) {
      v.fail('STALE_VERSION', 'version', `settings were changed by someone else (version ${settings.version}, yours ${input.version}); reload and try again`);
    }
    const values: Partial<Settings> = {
      autoBilling: v.oneOf('autoBilling', input.autoBilling, AUTO_BILLING_MODES, { required: false }),
      releaseFulfilled: v.oneOf('releaseFulfilled', input.releaseFulfilled, RELEASE_FULFILLED_MODES, { required: false }),
      separateInTransitAndOnHand: input.separateInTransitAndOnHand ?? undefined,
      consolidateOpenMarket: input.consolidateOpenMarket ?? undefined,
      separateHoliday: input.separateHoliday ?? undefined,
      separateByPortOfOrigin: input.separateByPortOfOrigin ?? undefined,
      separateByPickTicket: input.separateByPickTicket ?? undefined,
      delayDaysAllowed: v.integer('delayDaysAllowed', input.delayDaysAllowed, { required: false, min: 0, max: 365 }) ?? undefined,
      allowMultiplePrebookLinesPerPoLine: input.allowMultiplePrebookLinesPerPoLine ?? undefined,
      freightPerFbe: v.decimal('freightPerFbe', input.freightPerFbe, { required: false, min: 0, max: 100_000, maxScale: 4 }) ?? undefined,
      dutyPercentByPort: validateDuties(v, input.dutyPercentByPort),
      standingOrderLeadDays: v.integer('standingOrderLeadDays', input.standingOrderLeadDays, { required: false, min: 0, max: 366 }) ?? undefined,
      targetGpm: v.decimal('targetGpm', input.targetGpm, { required: false, min: 0, max: 99.999, maxScale: 3 }) ?? undefined,
      timeZone: validateTimeZone(v, input.timeZone),
      decimalSeparator: v.oneOf('decimalSeparator', input.decimalSeparator, DECIMAL_SEPARATORS, { required: false }),
      companyName: v.optionalText('companyName', input.companyName, { max: 200 }) ?? undefined,
      companyAddress: v.optionalText('companyAddress', input.companyAddress, { max: 500 }) ?? undefined,
      companyPhone: v.optionalText('companyPhone', input.companyPhone, { max: 60 }) ?? undefined,
      companyTaxId: v.optionalText('companyTaxId', input.companyTaxId, { max: 60 }) ?? undefined,
      changeFeedRetentionDays: v.integer('changeFeedRetentionDays', input.changeFeedRetentionDays, { required: false, min: 1, max: 3660 }) ?? undefined,
      ageBands: validateAgeBands(v, input.ageBands),
      creditReasonRequired: input.creditReasonRequired ?? undefined,
      lockConfirmedInvoices: input.lockConfirmedInvoices ?? undefined,
      allowSameDayManagerEdits: input.allowSameDayManagerEdits ?? undefined,
      financeChargePercentMonthly:
        v.decimal('financeChargePercentMonthly', input.financeChargePercentMonthly, { required: false, min: 0, max: 100, maxScale: 3 }) ?? undefined,
      financeChargeGraceDays: v.integer('financeChargeGraceDays', input.financeChargeGraceDays, { required: false, min: 0, max: 365 }) ?? undefined,
    };

    const flags = input.billUnitsAsBoxes ?? [];
    const locations = await loadReferences(
      em,
      LocationSchema,
      flags.map((flag) => flag.location),
    );
    const flagged: Array<[Location, boolean]> = [];
    flags.forEach((flag, index) => {
      const location = checkReference(v.nested(`billUnitsAsBoxes.${index + 1}`, `billUnitsAsBoxes ${index + 1}`), 'location', flag.location, locations, {
        label: 'location',
        unknown: 'UNKNOWN_LOCATION',
        required: true,
      });
      if (location) flagged.push([location, flag.enabled]);
    });

    if (!v.ok) return { settings, errors: v.errors };
    assignDefined(settings, values);
    for (const [location, enabled] of flagged) location.billUnitsAsBoxes = enabled;
    recordAudit(em, ctx.actor, 'update', 'Settings', SETTINGS_ID, input);
    await em.flush();
    return { settings, errors: [] };
  });
}

export function listLocationsForSettings(em: EntityManager): Promise<Location[]> {
  return em.find(LocationSchema, {}, { orderBy: { code: 'asc' } });
}
