import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { unauthenticated } from '../../common/graphql-errors';
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
import { lockInitialAdminToken, selectLiveToken } from './auth.repository';

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

/** Resolves the caller from an `Authorization: Bearer <token>` header, or throws a 401 error. */
export async function authenticate(em: EntityManager, authorization: string | undefined, envAdminToken: string | undefined): Promise<Actor> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw unauthenticated();
  const secret = match[1];
  if (envAdminToken && sameSecret(secret, envAdminToken)) return ENV_ADMIN_ACTOR;
  const token = await selectLiveToken(em, hashSecret(secret));
  if (!token) throw unauthenticated();
  return { tokenId: token.id, name: token.name, role: token.role, customerId: token.customerId };
}

function newToken(
  em: EntityManager,
  values: { name: string; role: Role; customer?: ApiToken['customer']; createdBy: string },
): { token: ApiToken; secret: string } {
  const secret = generateSecret();
  const token = em.create(ApiTokenSchema, { ...values, customer: values.customer ?? null, secretHash: hashSecret(secret), revokedAt: null } as never);
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
