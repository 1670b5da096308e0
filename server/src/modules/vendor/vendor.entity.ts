import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, trigramIndexes } from '../../common/entity-properties';

export const VENDOR_KINDS = ['FARM', 'HARD_GOODS', 'PRODUCTION'] as const;
export type VendorKind = (typeof VENDOR_KINDS)[number];

export const VendorSchema = defineEntity({
  name: 'Vendor',
  indexes: trigramIndexes('vendor'),
  properties: {
    ...codedEntityProperties(),
    kind: p.enum([...VENDOR_KINDS]),
    defaultPortOfOrigin: p.string().length(20).nullable(),
  },
});
export type Vendor = InferEntity<typeof VendorSchema>;
