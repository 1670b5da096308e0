import { today } from '../../common/today';
import type { Resolvers } from '../../generated/graphql';
import { getSettings, listLocationsForSettings, updateSettings } from './settings.service';

export const settingsResolvers: Resolvers = {
  Query: {
    settings: (_, __, ctx) => getSettings(ctx.em),
  },
  Mutation: {
    updateSettings: (_, { input }, ctx) => updateSettings(ctx, input),
  },
  Settings: {
    billUnitsAsBoxes: (_, __, ctx) => listLocationsForSettings(ctx.em),
    today: (settings) => today(settings),
  },
  LocationBillUnitsAsBoxes: {
    location: (location) => location,
    enabled: (location) => location.billUnitsAsBoxes,
  },
};
