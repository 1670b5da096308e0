import type { GraphQLSchema } from 'graphql';
import type { Role } from '../modules/auth/api-token.entity';
import { forbidden } from './graphql-errors';
import type { RequestContext } from './request-context';

const ADMIN: readonly Role[] = ['ADMIN'];
const STAFF: readonly Role[] = ['ADMIN', 'BUYER', 'SALES', 'WAREHOUSE'];
const EVERYONE: readonly Role[] = [...STAFF, 'CUSTOMER'];
const BUYING: readonly Role[] = ['ADMIN', 'BUYER'];
const SELLING: readonly Role[] = ['ADMIN', 'BUYER', 'SALES'];
const RECEIVING: readonly Role[] = ['ADMIN', 'BUYER', 'WAREHOUSE'];

/**
 * Which roles may call each root field. Every Query and Mutation field must be
 * listed here: the server refuses to start otherwise, so no operation is ever
 * open by omission. Row-level limits (a CUSTOMER sees only its own records)
 * are applied by the services.
 */
export const operationRoles: Record<'Query' | 'Mutation', Record<string, readonly Role[]>> = {
  Query: {
    me: EVERYONE,
    customers: EVERYONE,
    vendors: STAFF,
    products: EVERYONE,
    boxTypes: EVERYONE,
    locations: EVERYONE,
    carriers: EVERYONE,
    settings: STAFF,
    apiTokens: ADMIN,
    auditEvents: ADMIN,
    prebooks: EVERYONE,
    purchaseOrders: STAFF,
    purchaseNeeds: STAFF,
    standingOrders: STAFF,
    staging: STAFF,
    inventory: STAFF,
    box: STAFF,
    invoices: EVERYONE,
    invoice: EVERYONE,
    billingIssues: STAFF,
    gpmReport: EVERYONE,
  },
  Mutation: {
    upsertCustomers: ADMIN,
    upsertShipTos: ADMIN,
    upsertVendors: BUYING,
    upsertProducts: BUYING,
    upsertLocations: ADMIN,
    upsertCarriers: ADMIN,
    upsertBoxTypes: ADMIN,
    updateSettings: ADMIN,
    createApiToken: ADMIN,
    revokeApiToken: ADMIN,
    savePrebooks: SELLING,
    cancelPrebook: SELLING,
    closePrebook: SELLING,
    reopenPrebook: SELLING,
    setUnableToSource: BUYING,
    savePurchaseOrders: BUYING,
    createPurchaseOrdersFromPrebooks: BUYING,
    confirmPurchaseOrder: BUYING,
    cancelPurchaseOrder: BUYING,
    saveStandingOrder: SELLING,
    generateStandingOrderPrebooks: SELLING,
    shipPurchaseOrder: BUYING,
    scanBoxes: RECEIVING,
    confirmStaging: RECEIVING,
    createInvoice: SELLING,
    setInvoicePrices: SELLING,
    confirmInvoice: SELLING,
    printPickTicket: STAFF,
    voidInvoice: SELLING,
    mergeInvoices: SELLING,
    allocate: SELLING,
    massAllocate: SELLING,
    fillFromOpenMarket: SELLING,
    unallocate: SELLING,
  },
};

type ResolverFn = (parent: unknown, args: unknown, ctx: RequestContext, info: unknown) => unknown;
type ResolverMap = Record<string, Record<string, unknown>>;

/** Wraps every root resolver with its role check; throws if a root field has no policy or no resolver. */
export function withAuthorization<R extends ResolverMap>(resolvers: R, schema: GraphQLSchema): R {
  const wrapped: ResolverMap = { ...resolvers };
  for (const rootName of ['Query', 'Mutation'] as const) {
    const root = rootName === 'Query' ? schema.getQueryType() : schema.getMutationType();
    if (!root) continue;
    const policies = operationRoles[rootName];
    const fields = { ...(resolvers[rootName] ?? {}) } as Record<string, ResolverFn>;
    for (const fieldName of Object.keys(root.getFields())) {
      const roles = policies[fieldName];
      const resolve = fields[fieldName];
      if (!roles) throw new Error(`${rootName}.${fieldName} has no entry in operationRoles`);
      if (!resolve) throw new Error(`${rootName}.${fieldName} has no resolver`);
      fields[fieldName] = (parent, args, ctx, info) => {
        if (!roles.includes(ctx.actor.role)) {
          throw forbidden(`Role ${ctx.actor.role} may not call ${fieldName}; it needs ${roles.join(' or ')}`);
        }
        return resolve(parent, args, ctx, info);
      };
    }
    wrapped[rootName] = fields;
  }
  return wrapped as R;
}
