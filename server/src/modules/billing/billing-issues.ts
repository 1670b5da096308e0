// Billing issues: why a box of a prebook was not billed automatically (recorded by billing runs, resolved when
// the box is billed later), and the billingIssues list.
import type { EntityManager } from '@mikro-orm/postgresql';
import { paginate, type PageArgs } from '../../common/pagination';
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { BillingIssueFilter } from '../../generated/graphql';
import type { BillableBox, BillingLine } from '../box/billable-box';
import { BoxSchema } from '../box/box.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { PrebookLineSchema } from '../prebook/prebook.entity';
import { BillingIssueSchema, type BillingIssueCode } from './billing-issue.entity';

/** Records why boxes were not billed, refreshing a box's open issue of the same code instead of adding another. */
export async function recordBillingIssues(
  em: EntityManager,
  issues: Array<{ box: BillableBox; issue: { code: BillingIssueCode; message: string; line: BillingLine } }>,
): Promise<void> {
  if (issues.length === 0) return;
  const open = await em.find(BillingIssueSchema, { box: { $in: issues.map((i) => i.box.id) }, resolvedAt: null });
  const byBoxAndCode = new Map(open.map((issue) => [`${issue.box.id}:${issue.code}`, issue]));
  for (const { box, issue } of issues) {
    const existing = byBoxAndCode.get(`${box.id}:${issue.code}`);
    if (existing) Object.assign(existing, { message: issue.message, at: new Date() });
    else
      em.create(BillingIssueSchema, {
        box: em.getReference(BoxSchema, box.id),
        prebookLine: em.getReference(PrebookLineSchema, issue.line.id),
        code: issue.code,
        message: issue.message,
        resolvedAt: null,
      });
  }
}

/** billingIssues: open (or, with resolved, resolved) issues, by code, box label or customer, oldest first. */
export async function listBillingIssues(ctx: RequestContext, filter: BillingIssueFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = { resolvedAt: filter?.resolved ? { $ne: null } : null };
  if (filter?.code) where.code = filter.code;
  if (filter?.label) where.box = { label: filter.label.trim() };
  if (filter?.customer) where.prebookLine = { prebook: { customer: await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer') } };
  return paginate(ctx.em, BillingIssueSchema, where, page, {
    key: 'id',
    populate: ['box', 'prebookLine', 'prebookLine.prebook', 'prebookLine.prebook.customer'],
  });
}
