import type { Resolvers } from '../../generated/graphql';
import { suggestVendorCredit } from './vendor-credit-suggest.service';
import { findVendorCredit, listVendorCredits, saveVendorCredit, setVendorCreditStatus } from './vendor-credit.service';
import { sumAmounts } from './vendor-credit-split';

export const vendorCreditResolvers: Resolvers = {
  Query: {
    vendorCredits: (_, { filter, first, after }, ctx) => listVendorCredits(ctx, filter, { first, after }),
    vendorCredit: (_, { number }, ctx) => findVendorCredit(ctx, number),
    suggestVendorCredit: (_, { input }, ctx) => suggestVendorCredit(ctx, input),
  },
  Mutation: {
    saveVendorCredit: (_, { input, version, idempotencyKey }, ctx) => saveVendorCredit(ctx, input, version, idempotencyKey),
    setVendorCreditStatus: (_, { number, status, note, idempotencyKey }, ctx) => setVendorCreditStatus(ctx, number, status, note, idempotencyKey),
  },
  VendorCredit: {
    lines: (claim) => [...claim.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo),
    total: (claim) => sumAmounts(claim.lines.getItems().map((line) => line.amount)),
    // Served by documents/ (GET /documents/farm-claims/VC-000001); written here so this module does not import documents/.
    claimSheetUrl: (claim) => `/documents/farm-claims/${encodeURIComponent(claim.number)}`,
  },
  VendorCreditLine: {
    box: (line) => line.box ?? null,
    boxLabel: (line) => line.box?.label ?? null,
    purchaseOrderLine: (line) => line.purchaseOrderLine ?? null,
    invoiceLine: (line) => line.invoiceLine ?? null,
  },
};
