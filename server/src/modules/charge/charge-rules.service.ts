// chargeRules and saveChargeRules: the rules that put charges on invoices (fuel surcharges and automatic charges).
import type { EntityManager } from '@mikro-orm/postgresql';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import { checkReference, loadReferences, type ReferenceLookup } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { normalizeCode } from '../../common/row-validator';
import { assignDefined, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { ChargeRuleInput, MasterDataFilter } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { CarrierSchema, type Carrier } from '../carrier/carrier.entity';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { CHARGE_BASES, CHARGE_RULE_KINDS, ChargeRateSchema, ChargeRuleSchema, type ChargeBasis, type ChargeRule, type ChargeRuleKind } from './charge.entity';

/** The master data rules name, loaded once for the whole list. */
interface Lookups {
  customers: ReferenceLookup<Customer>;
  carriers: ReferenceLookup<Carrier>;
  boxTypes: ReferenceLookup<BoxType>;
}

interface RuleValues {
  name?: string;
  kind?: ChargeRuleKind;
  customer?: Customer | null;
  carrier?: Carrier | null;
  basis?: ChargeBasis | null;
  amount?: string | null;
  maxPerDay?: string | null;
  active?: boolean;
  rates?: Array<{ portOfOrigin: string; boxType: BoxType; amount: string }>;
}

/** A blank optional reference clears it (null); an absent one keeps it (undefined). */
function optionalReference<T extends { code: string; name: string }>(
  v: Parameters<UpsertSpec<ChargeRuleInput, ChargeRule, Lookups, RuleValues>['validate']>[0],
  field: string,
  value: string | null | undefined,
  lookup: ReferenceLookup<T>,
  label: string,
  unknown: 'UNKNOWN_CUSTOMER' | 'UNKNOWN_CARRIER',
): T | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || !value.trim()) return null;
  return checkReference(v, field, value, lookup, { label, unknown, required: true }) ?? undefined;
}

const chargeRuleSpec: UpsertSpec<ChargeRuleInput, ChargeRule, Lookups, RuleValues> = {
  entity: ChargeRuleSchema,
  auditEntity: 'ChargeRule',
  recordAudit,
  populate: ['customer', 'carrier', 'rates', 'rates.boxType'],
  prepare: async (em: EntityManager, items) => ({
    customers: await loadReferences(
      em,
      CustomerSchema,
      items.map((item) => item.customer),
    ),
    carriers: await loadReferences(
      em,
      CarrierSchema,
      items.map((item) => item.carrier),
    ),
    boxTypes: await loadReferences(
      em,
      BoxTypeSchema,
      items.flatMap((item) => (item.rates ?? []).map((rate) => rate.boxType)),
    ),
  }),
  validate(v, item, existing, { customers, carriers, boxTypes }) {
    const kind = v.oneOf('kind', item.kind, CHARGE_RULE_KINDS, { required: !existing }) ?? existing?.kind;
    const values: RuleValues = {
      name: v.text('name', item.name, { required: !existing, max: 200 }),
      kind,
      active: item.active ?? undefined,
    };
    if (kind === 'AUTOMATIC') {
      values.customer = optionalReference(v, 'customer', item.customer, customers, 'customer', 'UNKNOWN_CUSTOMER');
      values.carrier = optionalReference(v, 'carrier', item.carrier, carriers, 'carrier', 'UNKNOWN_CARRIER');
      const wasAutomatic = existing?.kind === 'AUTOMATIC';
      values.basis = v.oneOf('basis', item.basis, CHARGE_BASES, { required: !wasAutomatic });
      const basis = values.basis ?? existing?.basis;
      values.amount = v.decimal('amount', item.amount, {
        required: !wasAutomatic,
        min: 0,
        max: basis === 'PERCENT_OF_SUBTOTAL' ? 100 : 1e9,
        maxScale: 4,
      });
      const cap = item.maxPerDay === '' ? null : item.maxPerDay;
      values.maxPerDay = v.decimal('maxPerDay', cap, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 2 });
      if (item.rates?.length) v.fail('INVALID_VALUE', 'rates', 'rates are for FUEL_SURCHARGE rules; an AUTOMATIC rule has a basis and an amount');
      values.rates = [];
    } else if (kind === 'FUEL_SURCHARGE') {
      for (const field of ['customer', 'carrier', 'basis', 'amount', 'maxPerDay'] as const) {
        const given = item[field];
        if (given != null && String(given).trim() !== '')
          v.fail('INVALID_VALUE', field, `${field} is for AUTOMATIC rules; a FUEL_SURCHARGE charges customers with fuelSurcharge on, per box by its rates`);
      }
      Object.assign(values, { customer: null, carrier: null, basis: null, amount: null, maxPerDay: null });
      if (item.rates) {
        const seen = new Set<string>();
        values.rates = [];
        item.rates.forEach((rate, index) => {
          const rv = v.nested(`rates.${index + 1}`, `rate ${index + 1}`);
          const port = rv.text('portOfOrigin', rate.portOfOrigin, { required: true, max: 40 })?.toUpperCase();
          const boxType = checkReference(rv, 'boxType', rate.boxType, boxTypes, { label: 'box type', unknown: 'UNKNOWN_BOX_TYPE', required: true });
          const amount = rv.decimal('amount', rate.amount, { required: true, min: 0, max: 1e9, maxScale: 4 });
          if (!port || !boxType || amount == null) return;
          const key = `${port}|${boxType.id}`;
          if (seen.has(key)) rv.fail('INVALID_VALUE', 'boxType', `${port} ${boxType.code} is listed twice`);
          seen.add(key);
          values.rates!.push({ portOfOrigin: port, boxType, amount });
        });
      }
    }
    return values;
  },
  apply(em, code, values, existing) {
    const { rates, ...fields } = values;
    const rule =
      existing ??
      em.create(ChargeRuleSchema, {
        code,
        name: fields.name ?? code,
        kind: fields.kind ?? 'AUTOMATIC',
        customer: fields.customer ?? null,
        carrier: fields.carrier ?? null,
        basis: fields.basis ?? null,
        amount: fields.amount ?? null,
        maxPerDay: fields.maxPerDay ?? null,
        active: fields.active ?? true,
      });
    if (existing) assignDefined(existing, fields);
    if (rates) {
      rule.rates.removeAll();
      for (const rate of rates) rule.rates.add(em.create(ChargeRateSchema, { rule, ...rate }));
    }
    return rule;
  },
};

export function saveChargeRules(ctx: RequestContext, input: ChargeRuleInput[]) {
  return upsertByCode(ctx, chargeRuleSpec, input);
}

export function listChargeRules(ctx: RequestContext, filter: MasterDataFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, ChargeRuleSchema, textFilter(filter?.text), page, { key: 'code' });
}

/** A rule by code, with its rates. */
export function findChargeRule(em: EntityManager, code: string): Promise<ChargeRule | null> {
  return em.findOne(ChargeRuleSchema, { code: normalizeCode(code) });
}
