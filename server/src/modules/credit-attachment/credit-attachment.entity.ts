import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CreditSchema } from '../credit/credit.entity';

/**
 * A photo or PDF attached to a credit (a claim's evidence), its bytes kept in PostgreSQL with the credit so
 * a backup carries them. The bytes are read only when the file is served (lazy).
 */
export const CreditAttachmentSchema = defineEntity({
  name: 'CreditAttachment',
  properties: {
    id: p.integer().primary(),
    credit: () => p.manyToOne(CreditSchema).index().deleteRule('cascade'),
    /** The name the uploader's file had (cleaned), shown and used when it is downloaded. */
    fileName: p.string().length(200),
    /** image/jpeg, image/png, image/heic or application/pdf: read from the bytes, never from the name. */
    contentType: p.string().length(40),
    /** Bytes. */
    size: p.integer(),
    data: p.blob().lazy(),
    uploadedBy: p.string().length(200),
    uploadedAt: p.datetime(),
  },
});
export type CreditAttachment = InferEntity<typeof CreditAttachmentSchema>;
