import type { Resolvers } from '../../generated/graphql';
import { statementUrl } from './statement-url';
import { customerStatement } from './statement.service';

export const statementResolvers: Resolvers = {
  Query: {
    statement: (_, { customer, from, to, type }, ctx) => customerStatement(ctx, customer, from, to, type ?? 'BALANCE_FORWARD'),
  },
  Statement: {
    pdfUrl: (statement) => statementUrl(statement.customer.code, statement.from, statement.to, statement.type),
  },
};
