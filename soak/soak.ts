// Three server processes on one PostgreSQL, driven from loopback by concurrent clients mixing every
// kind of write; afterwards the invariants are checked over the whole database.
import { graphql } from '../bench/bench-client';
import { CUSTOMERS, FARMS, customerCode, isoDate, productCode, seedMasters } from '../bench/dataset';
import { initOrm, migrate } from '../server/src/db/orm';
import { startServerProcess, type ServerProcess } from '../test/support/server-process';
import { countInvariantViolations, type InvariantCounts } from './box-invariants';

const TOKEN = 'soak-admin-token-0123456789abcdef0123';
/** A few customers and products, so that clients collide on the same invoices and prebook lines. */
const HOT_CUSTOMERS = 8;
const HOT_PRODUCTS = 6;

export interface SoakOptions {
  databaseUrl: string;
  seconds: number;
  servers?: number;
  clients?: number;
  /** After the mix: seconds of scans alone (every client scanning), to compare the scans' p99 with the mix's. 0: none. */
  scanAloneSeconds?: number;
  onProgress?: (message: string) => void;
}

export interface SoakReport {
  seconds: number;
  servers: number;
  clients: number;
  requests: number;
  /** Per operation: requests and latency percentiles in ms. */
  operations: Record<string, { requests: number; p50: number; p99: number }>;
  latency: { p50: number; p99: number };
  /** Refusals the API reports in payloads (expected under contention: EXCEEDS_ORDERED, INVALID_STATUS ...). */
  userErrors: Record<string, number>;
  /** Top-level GraphQL errors and failed requests: INTERNAL_SERVER_ERROR would be a bug. */
  requestErrors: Record<string, number>;
  boxes: { total: number; billed: number; invoices: number };
  invariants: InvariantCounts;
  /** Deadlocks PostgreSQL detected (and broke) in the soak's database during the run (pg_stat_database). */
  deadlocks: number;
  /** What the servers logged of each internal error (message and the first lines of its stack), to say what failed. */
  serverErrors: string[];
  /** The scans' writes (scanBoxes alone, not the staging read before it): p99 in the mix and alone, and their ratio. */
  scans: { mixP99: number; aloneP99: number | null; aloneRequests: number; ratio: number | null };
}

/** The latency bucket of the scans' writes (scanBoxes), apart from the staging read of the scan action. */
export const SCAN_WRITE = 'scanBoxes';

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] * 10) / 10;
}

type Call = (query: string, variables?: Record<string, unknown>) => Promise<any>;
/** A timed call recorded under its own name besides the action's (the scans' writes). */
type Timed = (name: string, query: string, variables?: Record<string, unknown>) => Promise<any>;

/** Each action reads what it needs, then writes; payload errors come back for counting. */
const ACTIONS: Record<string, { weight: number; run: (call: Call, timed: Timed) => Promise<Array<{ code: string }>> }> = {
  pushPrebook: {
    weight: 3,
    run: async (call) => {
      const lines = Array.from({ length: between(1, 3) }, (_, i) => ({
        product: productCode((between(0, HOT_PRODUCTS - 1) + i) % HOT_PRODUCTS),
        boxes: between(1, 3),
        unitsPerBox: 100,
        price: '0.80',
        vendor: pick(FARMS),
        vendorCost: '0.40',
      }));
      const unique = lines.filter((line, i) => lines.findIndex((l) => l.product === line.product) === i);
      const data = await call(`mutation($i: [PrebookInput!]!, $k: String) { savePrebooks(input: $i, idempotencyKey: $k) { errors { code } } }`, {
        i: [
          {
            customer: customerCode(between(0, HOT_CUSTOMERS - 1)),
            carrier: 'ARMELLINI',
            truckDate: isoDate(between(3, 5)),
            customerPo: `SOAK-${between(1, 3)}`,
            lines: unique,
          },
        ],
        k: `soak-${Math.random().toString(36).slice(2)}`,
      });
      return data.savePrebooks.errors;
    },
  },
  buyFromPrebooks: {
    weight: 2,
    run: async (call) => {
      const data = await call(`mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) { errors { code } } }`, {
        i: { location: 'MIA', filter: { customer: customerCode(between(0, HOT_CUSTOMERS - 1)) } },
      });
      return data.createPurchaseOrdersFromPrebooks.errors;
    },
  },
  buyOpenMarket: {
    weight: 1,
    run: async (call) => {
      const data = await call(`mutation($i: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $i) { errors { code } } }`, {
        i: [
          {
            vendor: pick(FARMS),
            location: 'MIA',
            shipDate: isoDate(1),
            lines: [{ product: productCode(between(0, HOT_PRODUCTS - 1)), boxes: between(2, 6), unitCost: '0.38' }],
          },
        ],
      });
      return data.savePurchaseOrders.errors;
    },
  },
  ship: {
    weight: 3,
    run: async (call) => {
      const open = await call(`{ purchaseOrders(filter: { status: OPEN }, first: 10) { nodes { number lines { id boxes } } } }`);
      if (!open.purchaseOrders.nodes.length) return [];
      const po = pick(open.purchaseOrders.nodes as Array<{ number: string; lines: Array<{ id: string; boxes: number }> }>);
      const data = await call(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { errors { code } } }`, {
        i: { purchaseOrder: po.number, lines: po.lines.map((l) => ({ poLine: l.id, boxes: l.boxes })) },
      });
      return data.shipPurchaseOrder.errors;
    },
  },
  scan: {
    weight: 2,
    run: async (call, timed) => {
      const staged = await call(`{ staging(filter: { received: false }, first: 30) { nodes { label } } }`);
      const labels = (staged.staging.nodes as Array<{ label: string }>).filter(() => Math.random() < 0.3).map((b) => b.label);
      if (!labels.length) return [];
      await timed(SCAN_WRITE, `mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome } } }`, { l: labels });
      return [];
    },
  },
  confirm: {
    weight: 3,
    run: async (call) => {
      const staged = await call(`{ staging(first: 40) { nodes { label } } }`);
      const labels = (staged.staging.nodes as Array<{ label: string }>).filter(() => Math.random() < 0.5).map((b) => b.label);
      if (!labels.length) return [];
      const data = await call(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { results { code } errors { code } } }`, { l: labels });
      return [...data.confirmStaging.errors, ...data.confirmStaging.results.filter((r: { code: string | null }) => r.code)];
    },
  },
  allocate: {
    weight: 1,
    run: async (call) => {
      const data = await call(`mutation($f: MassAllocateFilter) { massAllocate(filter: $f) { errors { code } } }`, {
        f: { customer: customerCode(between(0, HOT_CUSTOMERS - 1)) },
      });
      return data.massAllocate.errors;
    },
  },
  void: {
    weight: 1,
    run: async (call) => {
      const pending = await call(`{ invoices(filter: { status: PENDING }, first: 10) { nodes { number } } }`);
      if (!pending.invoices.nodes.length) return [];
      const data = await call(`mutation($n: String!) { voidInvoice(number: $n) { errors { code } } }`, {
        n: pick(pending.invoices.nodes as Array<{ number: string }>).number,
      });
      return data.voidInvoice.errors;
    },
  },
  fillFromOpenMarket: {
    weight: 1,
    run: async (call) => {
      const open = await call(`query($c: String) { prebooks(filter: { status: OPEN, customer: $c }, first: 3) { nodes { lines { id } } } }`, {
        c: customerCode(between(0, HOT_CUSTOMERS - 1)),
      });
      const ids = (open.prebooks.nodes as Array<{ lines: Array<{ id: string }> }>).flatMap((p) => p.lines.map((l) => l.id));
      if (!ids.length) return [];
      const data = await call(`mutation($l: [ID!]!) { fillFromOpenMarket(prebookLines: $l) { errors { code } } }`, { l: ids });
      return data.fillFromOpenMarket.errors;
    },
  },
  unallocate: {
    weight: 1,
    run: async (call) => {
      const pending = await call(`{ invoices(filter: { status: PENDING }, first: 10) { nodes { lines { id } } } }`);
      const ids = (pending.invoices.nodes as Array<{ lines: Array<{ id: string }> }>).flatMap((i) => i.lines.map((l) => l.id));
      if (!ids.length) return [];
      const data = await call(`mutation($l: ID!) { unallocate(invoiceLine: $l) { errors { code } } }`, { l: pick(ids) });
      return data.unallocate.errors;
    },
  },
  mergeInvoices: {
    weight: 1,
    run: async (call) => {
      const pending = await call(`query($c: String) { invoices(filter: { status: PENDING, customer: $c }, first: 4) { nodes { number } } }`, {
        c: customerCode(between(0, HOT_CUSTOMERS - 1)),
      });
      const numbers = (pending.invoices.nodes as Array<{ number: string }>).map((i) => i.number).sort(() => Math.random() - 0.5);
      if (numbers.length < 2) return [];
      const data = await call(`mutation($t: String!, $s: [String!]!) { mergeInvoices(target: $t, sources: $s) { errors { code } } }`, {
        t: numbers[0],
        s: numbers.slice(1, between(2, numbers.length)),
      });
      return data.mergeInvoices.errors;
    },
  },
  confirmInvoice: {
    weight: 1,
    run: async (call) => {
      const pending = await call(`{ invoices(filter: { status: PENDING }, first: 10) { nodes { number } } }`);
      if (!pending.invoices.nodes.length) return [];
      const data = await call(`mutation($n: String!) { confirmInvoice(number: $n) { errors { code } } }`, {
        n: pick(pending.invoices.nodes as Array<{ number: string }>).number,
      });
      return data.confirmInvoice.errors;
    },
  },
  queryInvoices: {
    weight: 2,
    run: async (call) => {
      await call(`{ invoices(first: 50) { totalCount nodes { number total customer { code } lines { units amount prebookLine { prebookNumber } } } } }`);
      return [];
    },
  },
};

function weightedAction(): string {
  const entries = Object.entries(ACTIONS);
  let roll = Math.random() * entries.reduce((sum, [, a]) => sum + a.weight, 0);
  for (const [name, action] of entries) {
    roll -= action.weight;
    if (roll <= 0) return name;
  }
  return entries[0][0];
}

/** The errors a server logged (pino level 50 and above): each one's message and the top of its stack. */
export function loggedErrors(output: string): string[] {
  const errors: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string; stack?: string } };
      if ((entry.level ?? 0) < 50) continue;
      errors.push([entry.msg, entry.err?.message, ...(entry.err?.stack?.split('\n').slice(1, 6) ?? [])].filter(Boolean).join(' | '));
    } catch {
      // not a log line
    }
  }
  return errors;
}

/** pg_stat_database's deadlock count of the database (backends report theirs as they end: read it once the servers stopped). */
async function deadlockCount(databaseUrl: string): Promise<number> {
  const pg = await import('pg');
  const db = new pg.default.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(`select deadlocks::int as n from pg_stat_database where datname = current_database()`);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await db.end();
  }
}

const sortedLatencies = (values: number[] | undefined) => [...(values ?? [])].sort((a, b) => a - b);

/** Runs the soak against `databaseUrl` (migrated here if needed) and returns what it saw. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const serverCount = options.servers ?? 3;
  const clientCount = options.clients ?? 20;
  const progress = options.onProgress ?? (() => {});
  const orm = await initOrm(options.databaseUrl, { debug: false });
  await migrate(orm);
  await orm.close();

  const servers: ServerProcess[] = [];
  try {
    const deadlocksBefore = await deadlockCount(options.databaseUrl);
    for (let i = 0; i < serverCount; i++) {
      servers.push(
        await startServerProcess({
          DATABASE_URL: options.databaseUrl,
          STEMLINE_ADMIN_TOKEN: TOKEN,
          STEMLINE_DEMO_DATA: 'off',
          NODE_ENV: process.env.SOAK_DEBUG ? 'development' : 'production',
          LOG_LEVEL: 'error',
        }),
      );
    }
    progress(`${serverCount} servers: ${servers.map((s) => s.url).join(' ')}`);
    await seedMasters(servers[0].url, TOKEN);
    await graphql(servers[0].url, TOKEN, `mutation { updateSettings(input: { autoBilling: "ON_INCOMING_SCAN_OR_CONFIRMATION" }) { errors { code } } }`);
    if (CUSTOMERS < HOT_CUSTOMERS) throw new Error('the soak needs more customers than it uses');

    const userErrors: Record<string, number> = {};
    const requestErrors: Record<string, number> = {};
    /** Runs `clientCount` clients for `seconds`, each repeating an action `choose` names; returns the latencies per name. */
    const phase = async (seconds: number, choose: () => string): Promise<Record<string, number[]>> => {
      const latencies: Record<string, number[]> = {};
      const deadline = Date.now() + seconds * 1000;
      const client = async (index: number) => {
        const server = servers[index % servers.length];
        while (Date.now() < deadline) {
          const name = choose();
          const timed: Timed = async (bucket, query, variables) => {
            const start = performance.now();
            try {
              return await graphql(server.url, TOKEN, query, variables);
            } finally {
              const ms = performance.now() - start;
              (latencies[name] ??= []).push(ms);
              if (bucket !== name) (latencies[bucket] ??= []).push(ms);
            }
          };
          try {
            const errors = await ACTIONS[name].run((query, variables) => timed(name, query, variables), timed);
            for (const error of errors) userErrors[error.code] = (userErrors[error.code] ?? 0) + 1;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const code = /"code":"([A-Z_]+)"/.exec(message)?.[1] ?? (/ECONNREFUSED|ECONNRESET|socket hang up/.test(message) ? 'NETWORK' : 'UNKNOWN');
            requestErrors[code] = (requestErrors[code] ?? 0) + 1;
            if (code === 'INTERNAL_SERVER_ERROR' || code === 'UNKNOWN') progress(`${name}: ${message.slice(0, 300)}`);
          }
        }
      };
      const count = () => Object.entries(latencies).reduce((s, [name, l]) => s + (name === SCAN_WRITE ? 0 : l.length), 0);
      const ticker = setInterval(() => progress(`${count()} requests ...`), 5000);
      await Promise.all(Array.from({ length: clientCount }, (_, i) => client(i)));
      clearInterval(ticker);
      return latencies;
    };

    const latencies = await phase(options.seconds, weightedAction);
    let alone: number[] | null = null;
    if (options.scanAloneSeconds) {
      // Scans alone, on what the mix left: every open purchase order shipped first, so there is staging to scan.
      for (let i = 0; i < 50; i++) {
        const open = await graphql(servers[0].url, TOKEN, `{ purchaseOrders(filter: { status: OPEN }, first: 1) { nodes { number } } }`);
        if (!open.purchaseOrders.nodes.length) break;
        await ACTIONS.ship.run(
          (query, variables) => graphql(servers[0].url, TOKEN, query, variables),
          () => Promise.resolve(),
        );
      }
      progress(`scans alone for ${options.scanAloneSeconds} s`);
      alone = sortedLatencies((await phase(options.scanAloneSeconds, () => 'scan'))[SCAN_WRITE]);
    }

    const serverErrors: string[] = [];
    for (const server of servers.splice(0)) {
      await server.stop();
      serverErrors.push(...loggedErrors(server.output()));
    }
    const all = Object.entries(latencies)
      .flatMap(([name, values]) => (name === SCAN_WRITE ? [] : values))
      .sort((a, b) => a - b);
    const operations = Object.fromEntries(
      Object.entries(latencies).map(([name, values]) => {
        const sorted = sortedLatencies(values);
        return [name, { requests: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
      }),
    );
    const pg = await import('pg');
    const db = new pg.default.Client({ connectionString: options.databaseUrl });
    await db.connect();
    const { rows } = await db.query(`select (select count(*) from box)::int as total,
      (select count(distinct t.box_id) from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id where i.status <> 'VOID')::int as billed,
      (select count(*) from invoice where status <> 'VOID')::int as invoices`);
    await db.end();
    // The stopped servers' backends report their counts as they end, a moment after the connections close.
    let deadlocks = (await deadlockCount(options.databaseUrl)) - deadlocksBefore;
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      deadlocks = Math.max(deadlocks, (await deadlockCount(options.databaseUrl)) - deadlocksBefore);
    }
    const mixP99 = percentile(sortedLatencies(latencies[SCAN_WRITE]), 99);
    const aloneP99 = alone && alone.length ? percentile(alone, 99) : null;
    return {
      seconds: options.seconds,
      serverErrors,
      servers: serverCount,
      clients: clientCount,
      requests: all.length,
      operations,
      latency: { p50: percentile(all, 50), p99: percentile(all, 99) },
      userErrors,
      requestErrors,
      boxes: rows[0],
      invariants: await countInvariantViolations(options.databaseUrl),
      deadlocks,
      scans: {
        mixP99,
        aloneP99,
        aloneRequests: alone?.length ?? 0,
        ratio: aloneP99 ? Math.round((mixP99 / aloneP99) * 100) / 100 : null,
      },
    };
  } finally {
    for (const server of servers) await server.stop('SIGKILL');
  }
}
