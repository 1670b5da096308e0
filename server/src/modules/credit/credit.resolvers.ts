import { fromScaled } from '../../common/decimal';
import type { Resolvers } from '../../generated/graphql';
import { CreditRestockSchema } from './credit.entity';
import { approveCredit, rejectCredit, voidCredit } from './credit-approval.service';
import { approvedCreditsOfInvoice, creditTotal, findCredit, listCredits } from './credit-query.service';
import { listCreditReasons, upsertCreditReasons } from './credit-reason.service';
import { requestCredit, updateCredit } from './credit-request.service';

export const creditResolvers: Resolvers = {
  Query: {
    creditReasons: (_, { filter, first, after }, ctx) => listCreditReasons(ctx, filter, { first, after }),
    credits: (_, { filter, first, after }, ctx) => listCredits(ctx, filter, { first, after }),
    credit: (_, { number }, ctx) => findCredit(ctx, number),
  },
  Mutation: {
    upsertCreditReasons: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertCreditReasons(ctx, input);
      return { creditReasons: nodes, errors };
    },
    requestCredit: (_, { input, idempotencyKey }, ctx) => requestCredit(ctx, input, idempotencyKey),
    updateCredit: (_, { number, input, version, idempotencyKey }, ctx) => updateCredit(ctx, number, input, version, idempotencyKey),
    approveCredit: (_, { number, idempotencyKey }, ctx) => approveCredit(ctx, number, idempotencyKey),
    rejectCredit: (_, { number, reason, idempotencyKey }, ctx) => rejectCredit(ctx, number, reason, idempotencyKey),
    voidCredit: (_, { number, reason, idempotencyKey }, ctx) => voidCredit(ctx, number, reason, idempotencyKey),
  },
  Credit: {
    date: (credit) => credit.creditDate,
    lines: (credit) => [...credit.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo),
    total: (credit) => creditTotal(credit),
  },
  CreditLine: {
    invoiceLine: (line) => line.invoiceLine ?? null,
    restockedBoxes: async (line, _, ctx) =>
      (await ctx.em.find(CreditRestockSchema, { creditLine: line.id }, { populate: ['box'], orderBy: { id: 'asc' } })).map((restock) => restock.box.label),
  },
  Invoice: {
    creditedAmount: async (invoice, _, ctx) => fromScaled(await approvedCreditsOfInvoice(ctx, invoice.id)),
    // openAmount (total - credits - applications) is the payment module's.
  },
};
