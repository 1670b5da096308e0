import type { Resolvers } from '../../generated/graphql';
import { attachmentsOfCredit } from './credit-attachment.service';

export const creditAttachmentResolvers: Resolvers = {
  Credit: {
    attachments: (credit, _, ctx) => attachmentsOfCredit(ctx, credit),
  },
};
