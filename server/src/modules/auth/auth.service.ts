import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tooManyFailedAuthentications, unauthenticated } from '../../common/graphql-errors';
import { paginate, type PageArgs } from '../../common/pagination';
import { checkReference, loadReferences } from '../../common/references';
import { actorLabel, ROLES, type Actor, type RequestContext, type Role } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { CreateApiTokenInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema } from '../customer/customer.entity';
import { ApiTokenSchema, type ApiToken } from './api-token.entity';
import { lockInitialAdminToken, recordAuthFailure, selectLiveToken } from './auth.repository';

const TOKEN_PREFIX = 'stl_';

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

function generateSecret(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  return crypto.timingSafeEqual(Buffer.from(hashSecret(a), 'hex'), Buffer.from(hashSecret(b), 'hex'));
}

export const ENV_ADMIN_ACTOR: Actor = { tokenId: null, name: 'STEMLINE_ADMIN_TOKEN', role: 'ADMIN', customerId: null };

/** Characters of a presented token that name it for the throttle: `stl_` and 8 random ones. */
export const TOKEN_PREFIX_LENGTH = 12;
/** Seconds a throttled caller is told to wait: failures count for a minute (this one and the last). */
const RETRY_AFTER_SECONDS = 60;

export interface AuthenticationSource {
  /** The client's address (X-Forwarded-For from a trusted proxy, else the socket's). */
  address: string;
  /** Failed authentications an address, or a token prefix, may make in a minute before it gets 429. */
  failuresPerMinute: number;
}

/**
 * Resolves the caller from an `Authorization: Bearer <token>` header, or throws 401 (or 429). A request
 * without credentials is refused and never counted. A presented token that is not valid counts as a
 * failure of its address and of its prefix (shared by every server process, in PostgreSQL); past the
 * limit the failed token is answered 429 instead of 401. A valid token is never refused for the failures
 * of others from its address; only when its own prefix is being guessed past the limit does it wait too.
 */
export async function authenticate(
  em: EntityManager,
  authorization: string | undefined,
  envAdminToken: string | undefined,
  source?: AuthenticationSource,
): Promise<Actor> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw unauthenticated();
  const secret = match[1];
  if (envAdminToken && sameSecret(secret, envAdminToken)) return ENV_ADMIN_ACTOR;
  const prefix = secret.slice(0, TOKEN_PREFIX_LENGTH);
  const { token, prefixFailures } = await selectLiveToken(em, hashSecret(secret), prefix);
  if (source && prefixFailures >= source.failuresPerMinute) {
    throw tooManyFailedAuthentications(
      `Too many failed authentications with tokens starting ${prefix}: try again in ${RETRY_AFTER_SECONDS} s`,
      RETRY_AFTER_SECONDS,
    );
  }
  if (token) return { tokenId: token.id, name: token.name, role: token.role, customerId: token.customerId };
  if (source) {
    const failures = await recordAuthFailure(em, source.address, prefix);
    if (failures.address > source.failuresPerMinute || failures.prefix > source.failuresPerMinute) {
      throw tooManyFailedAuthentications(`Too many failed authentications from ${source.address}: try again in ${RETRY_AFTER_SECONDS} s`, RETRY_AFTER_SECONDS);
    }
  }
  throw unauthenticated();
}

function newToken(
  em: EntityManager,
  values: { name: string; role: Role; customer?: ApiToken['customer']; createdBy: string },
): { token: ApiToken; secret: string } {
  const secret = generateSecret();
  const token = em.create(ApiTokenSchema, { ...values, customer: values.customer ?? null, secretHash: hashSecret(secret), revokedAt: null });
  return { token, secret };
}

export async function createApiToken(
  ctx: RequestContext,
  input: CreateApiTokenInput,
): Promise<{ token: ApiToken | null; secret: string | null; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const v = new RowValidator(null);
    const name = v.text('name', input.name, { required: true });
    const role = v.oneOf('role', input.role, ROLES, { required: true });
    const customers = await loadReferences(em, CustomerSchema, [input.customer]);
    let customer;
    if (role === 'CUSTOMER') {
      customer = checkReference(v, 'customer', input.customer, customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true });
    } else if (input.customer?.trim()) {
      v.fail('INVALID_VALUE', 'customer', `only CUSTOMER tokens are bound to a customer; role ${role ?? input.role} takes none`);
    }
    if (!v.ok || !name || !role) return { token: null, secret: null, errors: v.errors };
    const { token, secret } = newToken(em, { name, role, customer, createdBy: actorLabel(ctx.actor) });
    await em.flush();
    recordAudit(em, ctx.actor, 'create', 'ApiToken', token.id, { name, role, customer: customer?.code ?? null });
    await em.flush();
    return { token, secret, errors: [] };
  });
}

export async function revokeApiToken(ctx: RequestContext, id: string): Promise<{ token: ApiToken | null; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const numericId = Number(id);
    const token = Number.isSafeInteger(numericId) ? await em.findOne(ApiTokenSchema, numericId, { populate: ['customer'] }) : null;
    if (!token) return { token: null, errors: [userError('NOT_FOUND', `no API token with id ${id}`, undefined, 'id')] };
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      recordAudit(em, ctx.actor, 'revoke', 'ApiToken', token.id);
      await em.flush();
    }
    return { token, errors: [] };
  });
}

export function listApiTokens(ctx: RequestContext, includeRevoked: boolean, page: PageArgs) {
  return paginate(ctx.em, ApiTokenSchema, includeRevoked ? {} : { revokedAt: null }, page, { key: 'id', populate: ['customer'] });
}

/**
 * On an empty database (no token at all), creates the first ADMIN token and
 * returns its secret so start-up can print it once. Several processes
 * starting at once create one token: the check runs under an advisory lock.
 */
export async function ensureInitialAdminToken(em: EntityManager): Promise<string | null> {
  return em.fork().transactional(async (tx) => {
    await lockInitialAdminToken(tx as EntityManager);
    if ((await tx.count(ApiTokenSchema, {})) > 0) return null;
    const { token, secret } = newToken(tx as EntityManager, { name: 'initial admin', role: 'ADMIN', createdBy: 'npm start' });
    await tx.flush();
    recordAudit(tx as EntityManager, { tokenId: null, name: 'npm start', role: 'ADMIN', customerId: null }, 'create', 'ApiToken', token.id, {
      name: token.name,
      role: 'ADMIN',
    });
    await tx.flush();
    return secret;
  });
}
