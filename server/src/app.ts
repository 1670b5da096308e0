import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, parse, type DocumentNode, type GraphQLFormattedError, type GraphQLScalarType } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  DEFAULT_AUTH_FAILURES_PER_MINUTE,
  forbiddenRootFields,
  operationRoles,
  staffOnlyIntrospection,
  suggestionsWhereIntrospection,
  withAuthorization,
} from './common/authorization';
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable, isDatabaseUnavailable, isReferenceErrorCode } from './common/graphql-errors';
import { createLoaders } from './common/loaders';
import { currentRequestId } from './common/request-id';
import { refuseTooManySelections } from './common/selection-limit';
import { findInvalidTextInDocument } from './common/text-input';
import type { RequestContext, Role } from './common/request-context';
import { DateScalar, DateTimeScalar, DecimalScalar, JsonScalar } from './common/scalars';
import { documentResolvers } from './documents/documents.resolvers';
import type { Resolvers } from './generated/graphql';
import type { Logger } from './logger';
import { authResolvers } from './modules/auth/auth.resolvers';
import { authenticate } from './modules/auth/auth.service';
import { boxTypeResolvers } from './modules/box-type/box-type.resolvers';
import { carrierResolvers } from './modules/carrier/carrier.resolvers';
import { customerResolvers } from './modules/customer/customer.resolvers';
import { locationResolvers } from './modules/location/location.resolvers';
import { prebookResolvers } from './modules/prebook/prebook.resolvers';
import { productResolvers } from './modules/product/product.resolvers';
import { purchaseOrderResolvers } from './modules/purchase-order/purchase-order.resolvers';
import { settingsResolvers } from './modules/settings/settings.resolvers';
import { receivingResolvers } from './modules/receiving/receiving.resolvers';
import { invoiceResolvers } from './modules/invoice/invoice.resolvers';
import { billingResolvers } from './modules/billing/billing.resolvers';
import { gpmResolvers } from './modules/gpm/gpm.resolvers';
import { standingOrderResolvers } from './modules/standing-order/standing-order.resolvers';
import { vendorResolvers } from './modules/vendor/vendor.resolvers';
import { changeResolvers } from './modules/change/change.resolvers';
import { productionResolvers } from './modules/production/production.resolvers';
import { stockResolvers } from './modules/stock/stock.resolvers';
import { creditResolvers } from './modules/credit/credit.resolvers';
import { vendorCreditResolvers } from './modules/vendor-credit/vendor-credit.resolvers';
import { creditAttachmentResolvers } from './modules/credit-attachment/credit-attachment.resolvers';
import { creditSheetResolvers } from './modules/credit/credit-sheet.resolvers';
import { chargeResolvers } from './modules/charge/charge.resolvers';
import { jobsResolvers } from './modules/jobs/jobs.resolvers';
import { paymentResolvers } from './modules/payment/payment.resolvers';
import { priceListResolvers } from './modules/price-list/price-list.resolvers';
import { statementResolvers } from './modules/statement/statement.resolvers';
import { paymentSheetResolvers } from './modules/payment/payment-sheet.resolvers';
import { onInvoicePricesFilled } from './modules/price-list/price-fill-hooks';
import { invoiceLinesChanged } from './modules/invoice/invoice-change';
import { prebookLineQuantities } from './modules/prebook/prebook.repository';

// Invoice lines priced by applyPriceLists are lines changed: what follows them (charges) follows.
onInvoicePricesFilled(invoiceLinesChanged);

export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schema');

export function loadTypeDefs(): string[] {
  return fs
    .readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
}

const moduleResolvers: Resolvers[] = [
  authResolvers,
  locationResolvers,
  carrierResolvers,
  boxTypeResolvers,
  customerResolvers,
  vendorResolvers,
  productResolvers,
  settingsResolvers,
  prebookResolvers,
  purchaseOrderResolvers,
  standingOrderResolvers,
  receivingResolvers,
  invoiceResolvers,
  billingResolvers,
  gpmResolvers,
  documentResolvers,
  changeResolvers,
  productionResolvers,
  stockResolvers,
  creditResolvers,
  vendorCreditResolvers,
  jobsResolvers,
  creditAttachmentResolvers,
  creditSheetResolvers,
  chargeResolvers,
  paymentResolvers,
  priceListResolvers,
  statementResolvers,
  paymentSheetResolvers,
];

function mergeResolvers(parts: Resolvers[]): Record<string, Record<string, unknown> | GraphQLScalarType> {
  const merged: Record<string, Record<string, unknown> | GraphQLScalarType> = {
    Decimal: DecimalScalar,
    Date: DateScalar,
    DateTime: DateTimeScalar,
    JSON: JsonScalar,
  };
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part)) {
      merged[typeName] = { ...(merged[typeName] ?? {}), ...(fields as Record<string, unknown>) };
    }
  }
  return merged;
}

export interface AppOptions {
  orm: MikroORM;
  logger: Logger;
  /** Accepted as an ADMIN token in addition to stored tokens (STEMLINE_ADMIN_TOKEN). */
  adminToken?: string;
  /** Production: no field suggestions. */
  production?: boolean;
  /**
   * Internal errors as they are (message, SQL, stack trace) in responses: NODE_ENV=development or
   * STEMLINE_DEBUG_ERRORS=1 only. Otherwise the caller gets "Internal server error" and the request id,
   * and the log has the detail under that id.
   */
  debugErrors?: boolean;
  /** Failed authentications an address, or a token prefix, may make in a minute before it gets 429 (default 30). */
  authFailuresPerMinute?: number;
}

export interface App {
  apollo: ApolloServer<RequestContext>;
  /**
   * Builds a request's context from its Authorization header; throws 401 when it is not a valid token (429
   * past the failed-authentication limit of the client's `address`, or of the token's prefix).
   */
  createContext(authorization: string | undefined, address?: string): Promise<RequestContext>;
  /**
   * A request refused before Apollo validates it, with its HTTP status, or null: an operation the caller's
   * role may not run (403, before its variables are coerced), QUERY_LIMITS.maxSelections, text that cannot
   * be stored.
   */
  refuseBeforeValidation(query: unknown, operationName: unknown, role: Role): { status: number; error: GraphQLFormattedError } | null;
}

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

const EXPECTED_ERROR_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'DATABASE_UNAVAILABLE',
  'CURSOR_EXPIRED',
  'TOO_MANY_FAILED_AUTHENTICATIONS',
]);

/**
 * Query limits (graphql-armor), checked before anything runs. Generous for real clients (the add-in's
 * deepest query is 6 levels; bulk data travels in variables, which tokens do not count), tight for abuse.
 */
export const QUERY_LIMITS = {
  /** Field selections of an operation, fragments expanded, repeated fields counted; checked before validation. */
  maxSelections: 500,
  maxDepth: 10,
  maxAliases: 20,
  maxDirectives: 20,
  maxTokens: 5_000,
  maxCost: 100_000,
} as const;

export async function createApp(options: AppOptions): Promise<App> {
  const { orm, logger } = options;
  const typeDefs = loadTypeDefs();
  const plainSchema = makeExecutableSchema({ typeDefs });
  const resolvers = withAuthorization(mergeResolvers(moduleResolvers), plainSchema);
  const schema = makeExecutableSchema({ typeDefs, resolvers });

  const logErrors: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code as string | undefined;
            if (code && (EXPECTED_ERROR_CODES.has(code) || isReferenceErrorCode(code))) continue;
            if (isDatabaseUnavailable(unwrapResolverError(error))) {
              logger.warn({ requestId: contextValue?.requestId, path: error.path }, 'database unavailable');
              continue;
            }
            logger.error({ err: unwrapResolverError(error), requestId: contextValue?.requestId, path: error.path }, 'request failed');
          }
        },
      };
    },
  };

  // No response is ever cacheable (every one answers a token): what Apollo's cache-control plugin always
  // concluded, but by a hook on every field it resolves (a 5,000-line push answers some 10,000 fields).
  const noStore: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };

  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // graphql's own parser limit instead: armor's plugin throws from a hook, which Apollo answers with 500.
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: true },
    // "Did you mean ...?" hints would map the schema for a stranger: suggestionsWhereIntrospection below.
    blockFieldSuggestion: { enabled: false },
  }).protect();

  const apollo = new ApolloServer<RequestContext>({
    schema,
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // The process owns its signals (main.ts stops HTTP, the ORM and the embedded database in order).
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: !!options.debugErrors,
    plugins: [
      logErrors,
      staffOnlyIntrospection,
      suggestionsWhereIntrospection(!!options.production),
      ...(armor.plugins as ApolloServerPlugin<RequestContext>[]),
      // Apollo's landing page loads Apollo Sandbox from its CDN: never. NODE_ENV=development has GraphiQL instead (http/graphiql-page.ts).
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      noStore,
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      // A transaction the database dropped wrote nothing: say so, in development too.
      if (isDatabaseUnavailable(unwrapResolverError(error))) {
        return { message: DATABASE_UNAVAILABLE_MESSAGE, path: formatted.path, extensions: { code: 'DATABASE_UNAVAILABLE' } };
      }
      const code = formatted.extensions?.code as string | undefined;
      const expected = !!code && (EXPECTED_ERROR_CODES.has(code) || isReferenceErrorCode(code));
      if (!options.debugErrors && !expected) {
        return { message: INTERNAL_ERROR_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: currentRequestId() } };
      }
      if (expected && formatted.extensions?.stacktrace) {
        const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
        return { ...formatted, extensions };
      }
      return formatted;
    },
  });
  await apollo.start();

  return {
    apollo,
    refuseBeforeValidation(query, operationName, role) {
      // Apollo validates before any plugin may refuse a request cleanly (a plugin that throws there makes
      // a 500), so these checks run on the text first. A document that does not parse is left to Apollo.
      if (typeof query !== 'string') return null;
      let document: DocumentNode;
      try {
        document = parse(query, { maxTokens: QUERY_LIMITS.maxTokens, noLocation: true });
      } catch {
        return null;
      }
      const denied = forbiddenRootFields(document, typeof operationName === 'string' ? operationName : null, role);
      if (denied.length) {
        const needs = denied.map((field) => `${field} needs ${(operationRoles.Query[field] ?? operationRoles.Mutation[field]).join(' or ')}`);
        return { status: 403, error: { message: `Role ${role} may not call ${denied.join(', ')}: ${needs.join('; ')}`, extensions: { code: 'FORBIDDEN' } } };
      }
      const tooMany = refuseTooManySelections(document, QUERY_LIMITS.maxSelections);
      if (tooMany) return { status: 400, error: tooMany.toJSON() };
      const text = findInvalidTextInDocument(document);
      return text && { status: 400, error: { message: `${text.problem}: ${text.path}`, extensions: { code: 'BAD_USER_INPUT', field: text.path } } };
    },
    async createContext(authorization, address) {
      const em = orm.em.fork();
      const requestId = currentRequestId();
      const source = address === undefined ? undefined : { address, failuresPerMinute: options.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE };
      const actor = await authenticate(em, authorization, options.adminToken, source).catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) throw databaseUnavailable();
        if (!(error instanceof GraphQLError)) logger.error({ err: error, requestId }, 'authentication failed');
        throw error;
      });
      return { em, actor, requestId, logger: logger.child({ requestId }), loaders: createLoaders(em, prebookLineQuantities) };
    },
  };
}
