import type { Resolvers } from '../../generated/graphql';
import { listCustomers, upsertCustomers, upsertShipTos } from './customer.service';

export const customerResolvers: Resolvers = {
  Query: {
    customers: (_, { filter, first, after }, ctx) => listCustomers(ctx, filter, { first, after }),
  },
  Mutation: {
    upsertCustomers: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertCustomers(ctx, input);
      return { customers: nodes, errors };
    },
    upsertShipTos: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertShipTos(ctx, input);
      return { customers: nodes, errors };
    },
  },
  Customer: {
    // Lists of invoices, prebooks and boxes do not populate ship-tos: MikroORM's collection dataloader
    // loads those of every customer on the page in one query, not one per row.
    shipTos: async (customer) => {
      const shipTos = customer.shipTos.isInitialized() ? customer.shipTos.getItems() : await customer.shipTos.loadItems({ dataloader: true });
      return [...shipTos].sort((a, b) => a.code.localeCompare(b.code));
    },
  },
};
