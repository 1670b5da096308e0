import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ROLES } from '../../common/request-context';
import { CustomerSchema } from '../customer/customer.entity';

export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(200),
    /** SHA-256 of the secret; the secret itself is shown once and never stored. */
    secretHash: p.string().length(64).unique(),
    role: p.enum([...ROLES]),
    customer: () => p.manyToOne(CustomerSchema).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    createdBy: p.string().length(200),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiToken = InferEntity<typeof ApiTokenSchema>;
