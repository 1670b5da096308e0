import { defaultFieldResolver, GraphQLError, type DocumentNode, type GraphQLObjectType, type GraphQLSchema, type SelectionNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { forbidden } from './graphql-errors';
import { checkInputLimits, inputLimitsOf } from './input-limits';
import type { RequestContext, Role } from './request-context';

const ADMIN: readonly Role[] = ['ADMIN'];
/** Every role of the company's own people: they read costs, vendors and margins. */
const STAFF: readonly Role[] = ['ADMIN', 'BUYER', 'SALES', 'SALES_MANAGER', 'ACCOUNTING', 'WAREHOUSE'];
/** Staff who change things on the floor (pick tickets): not ACCOUNTING, which only reads. */
const OPERATIONS: readonly Role[] = ['ADMIN', 'BUYER', 'SALES', 'SALES_MANAGER', 'WAREHOUSE'];
const EVERYONE: readonly Role[] = [...STAFF, 'CUSTOMER'];
const BUYING: readonly Role[] = ['ADMIN', 'BUYER'];
const SELLING: readonly Role[] = ['ADMIN', 'BUYER', 'SALES', 'SALES_MANAGER'];
const RECEIVING: readonly Role[] = ['ADMIN', 'BUYER', 'WAREHOUSE'];
/** Who approves, rejects and voids credits. */
const MANAGING: readonly Role[] = ['ADMIN', 'SALES_MANAGER'];
/** Who sets an invoice's charge by hand: sellers, not BUYER (a confirmed invoice also follows Settings.lockConfirmedInvoices). */
const CHARGING: readonly Role[] = ['ADMIN', 'SALES', 'SALES_MANAGER'];
/** Who files a credit: sellers, and a CUSTOMER for its own invoices (a claim). */
const CLAIMING: readonly Role[] = [...SELLING, 'CUSTOMER'];
/** Who drafts farm claims (vendor credits) and records the farm's answer. */
const FARM_CLAIMS: readonly Role[] = ['ADMIN', 'SALES_MANAGER', 'ACCOUNTING'];
/** Who reads farm claims: those, and SALES. */
const FARM_CLAIMS_READ: readonly Role[] = [...FARM_CLAIMS, 'SALES'];
/** Who records, applies and voids payments and charges finance charges: accounting (never BUYER or WAREHOUSE). */
const RECEIVABLES: readonly Role[] = ['ADMIN', 'ACCOUNTING'];
/** Who reads price lists and asks for a price: sellers and buyers, and a CUSTOMER for itself (its own lists). */
const PRICE_READING: readonly Role[] = [...SELLING, 'CUSTOMER'];

/** Who reads customer statements (GraphQL and /documents/statements/): sellers and accounting, and a CUSTOMER its own; never BUYER or WAREHOUSE. */
export const STATEMENT_ROLES: readonly Role[] = ['ADMIN', 'SALES', 'SALES_MANAGER', 'ACCOUNTING', 'CUSTOMER'];

/** Failed authentications a client address, or a token prefix, may make in a minute before it gets 429 (modules/auth: authenticate). */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

/** Who may fetch printable documents under /documents/ (labels, pick tickets): staff, never a CUSTOMER. */
export const DOCUMENT_ROLES: readonly Role[] = STAFF;
/** Who may attach photos and PDFs to credits (/documents/credits/…/attachments): whoever files credits; a CUSTOMER to its own claims. */
export const ATTACHING_ROLES: readonly Role[] = CLAIMING;

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
    prebook: EVERYONE,
    prebookLine: EVERYONE,
    purchaseOrder: STAFF,
    standingOrder: STAFF,
    purchaseNeeds: STAFF,
    standingOrders: STAFF,
    staging: STAFF,
    inventory: STAFF,
    box: STAFF,
    invoices: EVERYONE,
    invoice: EVERYONE,
    billingIssues: STAFF,
    gpmReport: EVERYONE,
    changes: EVERYONE,
    productionRuns: STAFF,
    componentNeeds: STAFF,
    productCategories: STAFF,
    agedStock: STAFF,
    inventoryAdjustments: STAFF,
    countReport: STAFF,
    shrinkReport: STAFF,
    creditReasons: EVERYONE,
    credits: EVERYONE,
    credit: EVERYONE,
    vendorCredits: FARM_CLAIMS_READ,
    vendorCredit: FARM_CLAIMS_READ,
    suggestVendorCredit: FARM_CLAIMS,
    jobs: ADMIN,
    chargeRules: STAFF,
    payments: EVERYONE,
    receivablesAging: STAFF,
    shipmentCosts: STAFF,
    availability: EVERYONE,
    priceLists: PRICE_READING,
    priceList: PRICE_READING,
    priceFor: PRICE_READING,
    statement: STATEMENT_ROLES,
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
    printPickTicket: OPERATIONS,
    voidInvoice: SELLING,
    mergeInvoices: SELLING,
    allocate: SELLING,
    massAllocate: SELLING,
    fillFromOpenMarket: SELLING,
    unallocate: SELLING,
    saveProductionRun: BUYING,
    createComponentPurchaseOrders: BUYING,
    transferComponents: SELLING,
    upsertProductCategories: BUYING,
    adjustInventory: RECEIVING,
    startCount: RECEIVING,
    countScan: RECEIVING,
    closeCount: RECEIVING,
    upsertCreditReasons: ADMIN,
    requestCredit: CLAIMING,
    updateCredit: CLAIMING,
    approveCredit: MANAGING,
    rejectCredit: MANAGING,
    voidCredit: MANAGING,
    saveVendorCredit: FARM_CLAIMS,
    setVendorCreditStatus: FARM_CLAIMS,
    saveCredits: SELLING,
    saveChargeRules: MANAGING,
    setInvoiceCharge: CHARGING,
    recordPayment: RECEIVABLES,
    applyCredit: RECEIVABLES,
    voidPayment: RECEIVABLES,
    applyFinanceCharges: RECEIVABLES,
    recordShipmentCosts: BUYING,
    savePriceLists: MANAGING,
    copyPriceList: MANAGING,
    copyPriceSeason: MANAGING,
    applyPriceLists: MANAGING,
    savePayments: RECEIVABLES,
  },
};

type ResolverFn = (parent: unknown, args: unknown, ctx: RequestContext, info: unknown) => unknown;
/** A type's resolvers: an object of field resolvers, or a scalar's GraphQLScalarType. */
type ResolverMap = Record<string, object>;

/** Wraps every root resolver with its role check and the schema's @inputLimits; throws if a root field has no policy or no resolver. */
export function withAuthorization<R extends ResolverMap>(resolvers: R, schema: GraphQLSchema): R {
  const wrapped: ResolverMap = { ...resolvers };
  const limits = inputLimitsOf(schema);
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
      const argumentDefinitions = root.getFields()[fieldName].args;
      fields[fieldName] = (parent, args, ctx, info) => {
        if (!roles.includes(ctx.actor.role)) {
          throw forbidden(`Role ${ctx.actor.role} may not call ${fieldName}; it needs ${roles.join(' or ')}`);
        }
        checkInputLimits(fieldName, argumentDefinitions, args as Record<string, unknown>, limits);
        return resolve(parent, args, ctx, info);
      };
    }
    wrapped[rootName] = fields;
  }
  for (const [typeName, fieldName] of staffOnlyFields(schema)) {
    const fields = { ...((wrapped[typeName] ?? {}) as Record<string, ResolverFn>) };
    const resolve = (fields[fieldName] ?? defaultFieldResolver) as ResolverFn;
    fields[fieldName] = (parent, args, ctx, info) => {
      if (!STAFF.includes(ctx.actor.role)) {
        throw forbidden(`${typeName}.${fieldName} is not readable with a ${ctx.actor.role} token: costs, vendors, margins and GPM are for staff roles only`);
      }
      return resolve(parent, args, ctx, info);
    };
    wrapped[typeName] = fields;
  }
  return wrapped as R;
}

export const STAFF_ONLY_DIRECTIVE = 'staffOnly';

/** Every `Type.field` the schema marks `@staffOnly` (the purchase side: costs, vendors, margins, GPM). */
export function staffOnlyFields(schema: GraphQLSchema): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    // By its definition's kind, not isObjectType: tests and tools may build the schema with another copy of graphql.
    if (type.astNode?.kind !== 'ObjectTypeDefinition') continue;
    for (const field of Object.values((type as GraphQLObjectType).getFields())) {
      if (field.astNode?.directives?.some((directive) => directive.name.value === STAFF_ONLY_DIRECTIVE)) found.push([type.name, field.name]);
    }
  }
  return found;
}

/**
 * Introspection (`__schema`, `__type`) for staff roles only: it maps every operation and field for
 * whoever holds a token, and a CUSTOMER portal has no use for it. `__typename` stays open to all.
 */
export const staffOnlyIntrospection: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, document: parsed, contextValue }) {
        if (!operation || STAFF.includes(contextValue.actor.role)) return;
        const document = new Map<string, readonly SelectionNode[]>();
        for (const definition of parsed.definitions) {
          if (definition.kind === 'FragmentDefinition') document.set(definition.name.value, definition.selectionSet.selections);
        }
        // __schema and __type exist on the root type only: the operation's own selections and the fragments spread there.
        const pending = [...operation.selectionSet.selections];
        const fragments = new Set<string>();
        while (pending.length) {
          const selection = pending.pop()!;
          if (selection.kind === 'Field') {
            if (selection.name.value === '__schema' || selection.name.value === '__type') {
              throw new GraphQLError(`Introspection is for staff roles only, not ${contextValue.actor.role} tokens`, {
                extensions: { code: 'FORBIDDEN', http: { status: 403 } },
              });
            }
          } else if (selection.kind === 'InlineFragment') {
            pending.push(...selection.selectionSet.selections);
          } else if (!fragments.has(selection.name.value)) {
            fragments.add(selection.name.value);
            pending.push(...(document.get(selection.name.value) ?? []));
          }
        }
      },
    };
  },
};

/** graphql-js's hints in validation errors: ` Did you mean "invoice" or "invoices"?` */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * "Did you mean …?" hints map the schema as introspection does: they go only where introspection may
 * (staff tokens), and nowhere in production.
 */
export function suggestionsWhereIntrospection(production: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (!production && STAFF.includes(contextValue.actor.role)) return;
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error,
          );
        },
      };
    },
  };
}

/**
 * The most a request body may hold, by the caller's role: what its largest legitimate request needs. A
 * CUSTOMER reads its own documents and files claims (a few KB); staff push sheets of thousands of lines.
 */
export const BODY_LIMIT_BYTES: Record<Role, number> = {
  ADMIN: 10 * 1024 * 1024,
  BUYER: 10 * 1024 * 1024,
  SALES: 10 * 1024 * 1024,
  SALES_MANAGER: 10 * 1024 * 1024,
  ACCOUNTING: 10 * 1024 * 1024,
  WAREHOUSE: 10 * 1024 * 1024,
  CUSTOMER: 256 * 1024,
};

/**
 * The root fields of the operation a request will run that `role` may not call (empty when it may run
 * it, or when the document leaves the operation to Apollo to refuse: several without a name, an unknown
 * name or field). Read from the document alone, so a request its token may not run is refused before its
 * variables are coerced or anything resolves.
 */
export function forbiddenRootFields(document: DocumentNode, operationName: string | null | undefined, role: Role): string[] {
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || (operation.operation !== 'query' && operation.operation !== 'mutation')) return [];
  const policies = operationRoles[operation.operation === 'query' ? 'Query' : 'Mutation'];
  const fragments = new Map<string, readonly SelectionNode[]>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition.selectionSet.selections);
  }
  const denied = new Set<string>();
  const pending = [...operation.selectionSet.selections];
  const spread = new Set<string>();
  while (pending.length) {
    const selection = pending.pop()!;
    if (selection.kind === 'Field') {
      const roles = policies[selection.name.value];
      if (roles && !roles.includes(role)) denied.add(selection.name.value);
    } else if (selection.kind === 'InlineFragment') {
      pending.push(...selection.selectionSet.selections);
    } else if (!spread.has(selection.name.value)) {
      spread.add(selection.name.value);
      pending.push(...(fragments.get(selection.name.value) ?? []));
    }
  }
  return [...denied].sort();
}
