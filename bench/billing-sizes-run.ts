// One size of the billing bench: ship the boxes of `size` prebooked boxes, confirm and bill them in one
// call and in chunks (against the same in raw SQL), allocate, and read the invoices back.
import pg from 'pg';
import { baselineConfirmAndBill } from './baseline';
import { graphql } from './bench-client';
import type { ServerProcess } from '../test/support/server-process';
import type { BenchRun, FigureTable } from './bench-run';
import { buildDocuments, planFor, shipAll } from './dataset';
import { figure, type Figure } from './figures';
import { elapsed, log, serverPeakRssMb } from './process-metrics';

export async function benchBillingSize(run: BenchRun, size: number, chunkSize: number): Promise<FigureTable> {
  let server: ServerProcess;
  const plan = planFor(size);
  const title = `${size.toLocaleString('en-US')} boxes`;
  const rows: Figure[] = [];
  const step = (fields: Omit<Figure, 'table' | 'ratio'>) => figure({ table: title, ...(fields.baselineSeconds ? { baseline: 'raw SQL' } : {}), ...fields });
  const db = (suffix: string) => `${run.prefix}${size}_${suffix}`;
  log(
    `size ${size}: ${plan.prebookLines} prebook lines x ${plan.boxesPerLine} boxes, ${plan.openMarketBoxes} open-market boxes, ${plan.allocationLines} lines to allocate`,
  );
  await run.clone(db('seed'), run.template);
  server = await run.startServer(db('seed'));
  const [{ purchaseOrders }, buildSeconds] = await elapsed(() => buildDocuments(server.url, run.token, plan));
  log(`  documents built in ${buildSeconds.toFixed(1)} s; shipping ${purchaseOrders.length} POs`);
  const [shipped, shipSeconds] = await elapsed(() => shipAll(server.url, run.token, purchaseOrders));
  rows.push(step({ step: 'shipPurchaseOrder (≤ 10,000 boxes a call)', items: shipped, seconds: shipSeconds, rssMb: serverPeakRssMb(server.child.pid!) }));
  await run.stopServer(server);
  for (const copy of ['all', 'chunks', 'baseline']) await run.clone(db(copy), db('seed'));

  log(`  baseline: confirm and bill ${shipped} boxes with raw SQL`);
  const [baseline, baselineSeconds] = await elapsed(() => baselineConfirmAndBill(run.urlOf(db('baseline')), purchaseOrders));
  if (baseline.boxes !== shipped) throw new Error(`baseline confirmed ${baseline.boxes} of ${shipped} boxes`);

  log(`  confirmStaging: all ${shipped} boxes in one call`);
  server = await run.startServer(db('all'));
  const [all, allSeconds] = await elapsed(() =>
    graphql(
      server.url,
      run.token,
      `mutation($p: [String!]) { confirmStaging(input: { purchaseOrders: $p }) { summary { confirmed billed issues invoices } errors { message } } }`,
      { p: purchaseOrders },
    ),
  );
  if (all.confirmStaging.errors.length) throw new Error(JSON.stringify(all.confirmStaging.errors));
  const summary = all.confirmStaging.summary;
  if (summary.confirmed !== shipped) throw new Error(`confirmed ${summary.confirmed} of ${shipped}`);
  if (summary.invoices !== baseline.invoices) log(`  note: the server made ${summary.invoices} invoices, the baseline ${baseline.invoices}`);
  rows.push(
    step({ step: 'confirmStaging + billing (one call)', items: shipped, seconds: allSeconds, baselineSeconds, rssMb: serverPeakRssMb(server.child.pid!) }),
  );

  if (process.env.BENCH_CONFIRM_ONLY) {
    await run.stopServer(server);
    return { title, rows };
  }
  log('  massAllocate');
  const [allocated, allocateSeconds] = await elapsed(() =>
    graphql(server.url, run.token, `mutation { massAllocate { lines { allocated } errors { message } } }`),
  );
  rows.push(
    step({
      step: 'massAllocate',
      items: allocated.massAllocate.lines.reduce((sum: number, l: { allocated: number }) => sum + l.allocated, 0),
      seconds: allocateSeconds,
      rssMb: serverPeakRssMb(server.child.pid!),
    }),
  );

  log('  invoices(first: 500) with lines');
  const [page, invoicesSeconds] = await elapsed(() =>
    graphql(
      server.url,
      run.token,
      `{ invoices(first: 500) { totalCount nodes { number customer { code name } carrier { code } truckDate total cost gpmPercent lines { product { code } boxes units unitPrice amount cost } } } }`,
    ),
  );
  rows.push(
    step({
      step: 'invoices(first: 500) with lines',
      items: page.invoices.nodes.length,
      seconds: invoicesSeconds,
      rssMb: serverPeakRssMb(server.child.pid!),
    }),
  );
  await run.stopServer(server);

  log(`  confirmStaging: chunks of ${chunkSize} labels`);
  const client = new pg.Client({ connectionString: run.urlOf(db('chunks')) });
  await client.connect();
  const labels = (await client.query(`select label from box where status = 'STAGED' order by id`)).rows.map((r: { label: string }) => r.label);
  await client.end();
  server = await run.startServer(db('chunks'));
  const [, chunkSeconds] = await elapsed(async () => {
    for (let i = 0; i < labels.length; i += chunkSize) {
      const data = await graphql(
        server.url,
        run.token,
        `mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { summary { confirmed } errors { message } } }`,
        { l: labels.slice(i, i + chunkSize) },
      );
      if (data.confirmStaging.errors.length) throw new Error(JSON.stringify(data.confirmStaging.errors));
      process.stderr.write(`\r  ${Math.min(i + chunkSize, labels.length)}/${labels.length}`);
    }
    process.stderr.write('\n');
  });
  rows.push(
    step({
      step: `confirmStaging + billing (chunks of ${chunkSize})`,
      items: labels.length,
      seconds: chunkSeconds,
      baselineSeconds,
      rssMb: serverPeakRssMb(server.child.pid!),
    }),
  );
  await run.stopServer(server);
  return { title, rows };
}
