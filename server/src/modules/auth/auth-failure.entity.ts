import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AUTH_FAILURE_SCOPES = ['ADDRESS', 'TOKEN'] as const;

/**
 * Failed authentications per minute, shared by every server process: by client address, and by the
 * presented token's first characters (its prefix). Rows older than a few minutes are deleted as new
 * failures are recorded.
 */
export const AuthFailureSchema = defineEntity({
  name: 'AuthFailure',
  properties: {
    scope: p.enum([...AUTH_FAILURE_SCOPES]).primary(),
    key: p.string().length(100).primary(),
    minute: p.datetime().primary(),
    count: p.integer(),
  },
});
export type AuthFailure = InferEntity<typeof AuthFailureSchema>;
