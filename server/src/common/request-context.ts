import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { Loaders } from './loaders';

export const ROLES = ['ADMIN', 'BUYER', 'SALES', 'SALES_MANAGER', 'ACCOUNTING', 'WAREHOUSE', 'CUSTOMER'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the bearer token before any resolver runs. */
export interface Actor {
  /** Token id, or null for the STEMLINE_ADMIN_TOKEN environment token. */
  tokenId: number | null;
  name: string;
  role: Role;
  /** Set for CUSTOMER tokens. */
  customerId: number | null;
}

/** Passed first to every service call (Vendure style). One forked EntityManager per request. */
export interface RequestContext {
  em: EntityManager;
  actor: Actor;
  logger: Logger;
  requestId: string;
  loaders: Loaders;
}

/** How an actor is written in the audit trail, on tokens it created and on idempotent responses. */
export function actorLabel(actor: Actor): string {
  return actor.tokenId === null ? actor.name : `${actor.name} (token ${actor.tokenId})`;
}
