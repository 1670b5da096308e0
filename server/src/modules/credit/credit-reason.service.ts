import type { EntityManager } from '@mikro-orm/postgresql';
import { paginate, textFilter, type PageArgs } from '../../common/pagination';
import type { RequestContext } from '../../common/request-context';
import { normalizeCode } from '../../common/row-validator';
import { assignDefined, upsertByCode, type UpsertSpec } from '../../common/upsert-by-code';
import type { CreditReasonInput, MasterDataFilter } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CREDIT_REASON_SCOPES, CreditReasonSchema, type CreditReason, type CreditReasonScope } from './credit.entity';

interface ReasonValues {
  name?: string;
  appliesTo?: CreditReasonScope;
  active?: boolean;
}

const creditReasonSpec: UpsertSpec<CreditReasonInput, CreditReason, null, ReasonValues> = {
  entity: CreditReasonSchema,
  auditEntity: 'CreditReason',
  recordAudit,
  prepare: async () => null,
  validate: (v, item, existing) => ({
    name: v.text('name', item.name, { required: !existing }),
    appliesTo: v.oneOf('appliesTo', item.appliesTo, CREDIT_REASON_SCOPES, { required: false }),
    active: item.active ?? undefined,
  }),
  apply: (em, code, values, existing) =>
    existing
      ? assignDefined(existing, values)
      : em.create(CreditReasonSchema, { code, name: values.name ?? code, appliesTo: values.appliesTo ?? 'BOTH', active: values.active ?? true }),
};

export function upsertCreditReasons(ctx: RequestContext, input: CreditReasonInput[]) {
  return upsertByCode(ctx, creditReasonSpec, input);
}

export function listCreditReasons(ctx: RequestContext, filter: MasterDataFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, CreditReasonSchema, textFilter(filter?.text), page, { key: 'code' });
}

/** The reason a customer credit names: by code, active, and for customers (CUSTOMER or BOTH); a message when it is none of these. */
export async function customerCreditReason(em: EntityManager, value: string): Promise<CreditReason | string> {
  const code = normalizeCode(value);
  const reason = await em.findOne(CreditReasonSchema, { code });
  if (!reason) return `unknown credit reason "${value}" (see creditReasons)`;
  if (!reason.active) return `credit reason ${reason.code} is no longer in use`;
  if (reason.appliesTo === 'VENDOR') return `credit reason ${reason.code} is for vendor claims, not customer credits`;
  return reason;
}
