/**
 * Failed authentications per client address: after `limit` failures within `windowMs`, every request
 * from that address carrying credentials is refused (429, Retry-After) until the oldest failure leaves
 * the window, valid token or not, so guessing tokens gets nowhere. Memory stays bounded: addresses whose
 * failures have all expired are swept once the map grows.
 */
export class FailedAuthThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(address: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const times = (this.failures.get(address) ?? []).filter((time) => time > cutoff);
    if (times.length) this.failures.set(address, times);
    else this.failures.delete(address);
    return times;
  }

  /** Seconds to wait before this address may try again; 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const times = this.recent(address);
    if (times.length < this.limit) return 0;
    return Math.max(1, Math.ceil((times[times.length - this.limit] + this.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    const times = this.recent(address);
    times.push(this.now());
    this.failures.set(address, times);
    if (this.failures.size > 10_000) for (const known of [...this.failures.keys()]) this.recent(known);
  }
}

export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;
