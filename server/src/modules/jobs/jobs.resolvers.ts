import type { Resolvers } from '../../generated/graphql';
import { listJobs } from './jobs.service';

export const jobsResolvers: Resolvers = {
  Query: {
    jobs: (_, __, ctx) => listJobs(ctx),
  },
};
