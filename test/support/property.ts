// fast-check options shared by the property tests. CI replays a fixed seed, so a green build stays
// green; a local run explores new cases each time (FC_RUNS for more, FC_SEED to replay a failure).
export function propertyOptions(defaultRuns: number): { numRuns: number; seed?: number; endOnFailure?: boolean } {
  const numRuns = Number(process.env.FC_RUNS ?? defaultRuns);
  if (process.env.FC_SEED) return { numRuns, seed: Number(process.env.FC_SEED), endOnFailure: true };
  return process.env.CI ? { numRuns, seed: 20261123 } : { numRuns };
}
