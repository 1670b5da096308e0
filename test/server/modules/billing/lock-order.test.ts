// The lock order (billing.repository.ts): boxes, then prebook lines, then invoices. A path that starts from an
// invoice (unallocate, voidInvoice) locks the boxes it took before the invoice, so a transaction that holds
// one of those boxes (a scan, an allocation) and then wants the invoice never waits on it in a cycle.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

describe('lock order of the paths that start from an invoice', () => {
  let t: TestServer;
  let day = 70;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  /** An allocation of two stock boxes to a new prebook line: its invoice, the invoice line and the boxes' labels. */
  async function allocated(): Promise<{ number: string; lineId: string; labels: string[] }> {
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40' });
    const saved = await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { lines { id } } } }`, {
      i: [
        {
          customer: 'BLOOMS',
          carrier: 'ARMELLINI',
          truckDate: isoDate(day++),
          lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.90' }],
        },
      ],
    });
    const data = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { lines { invoiceNumbers } errors { code } } }`, {
      l: saved.savePrebooks.prebooks[0].lines[0].id,
      b: labels,
    });
    const number = data.allocate.lines[0].invoiceNumbers[0] as string;
    const lineId = (await t.ok(`{ invoice(number: "${number}") { lines { id } } }`)).invoice.lines[0].id as string;
    return { number, lineId, labels };
  }

  /**
   * Holds the lock of one of the invoice's boxes in a transaction of its own (as a scan of it would), starts
   * `change`, waits until it waits on a lock, then locks the invoice as that scan's billing would: with boxes
   * first, the invoice is free (the change waits on the box, holding nothing the scan wants); with the invoice
   * first, the change holds it and the two wait on each other (a deadlock PostgreSQL breaks after a second).
   */
  async function lockInvoiceWhileChangeWaits(
    label: string,
    number: string,
    change: () => Promise<unknown>,
  ): Promise<{ invoiceLocked: boolean; result: unknown }> {
    const scan = new pg.Client({ connectionString: t.databaseUrl });
    await scan.connect();
    try {
      await scan.query('begin');
      await scan.query(`select id from box where label = $1 for update`, [label]);
      const pending = change();
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await scan.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        );
        if (rows[0].n > 0) break;
        if (Date.now() > deadline) throw new Error('the change never waited on the box');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Well below deadlock_timeout (1 s): an invoice held by the waiting change shows as a timeout, not a broken deadlock.
      await scan.query(`set local lock_timeout = '300ms'`);
      let invoiceLocked = true;
      try {
        await scan.query(`select id from invoice where number = $1 for update`, [number]);
      } catch {
        invoiceLocked = false;
      }
      await scan.query(invoiceLocked ? 'commit' : 'rollback');
      return { invoiceLocked, result: await pending };
    } finally {
      await scan.end();
    }
  }

  it('unallocate locks the line’s boxes before its invoice', async () => {
    const { number, lineId, labels } = await allocated();
    const { invoiceLocked, result } = await lockInvoiceWhileChangeWaits(labels[1], number, () =>
      t.ok(`mutation($l: ID!) { unallocate(invoiceLine: $l) { invoice { status } errors { code } } }`, { l: lineId }),
    );
    expect(invoiceLocked).toBe(true);
    expect(result).toEqual({ unallocate: { invoice: { status: 'VOID' }, errors: [] } });
  });

  it('voidInvoice locks the invoice’s boxes before the invoice', async () => {
    const { number, labels } = await allocated();
    const { invoiceLocked, result } = await lockInvoiceWhileChangeWaits(labels[1], number, () =>
      t.ok(`mutation($n: String!) { voidInvoice(number: $n) { invoice { status } errors { code } } }`, { n: number }),
    );
    expect(invoiceLocked).toBe(true);
    expect(result).toEqual({ voidInvoice: { invoice: { status: 'VOID' }, errors: [] } });
  });

  it('voidInvoice runs again, boxes first, when boxes joined the invoice while it awaited the invoice’s lock', async () => {
    const target = await allocated();
    const source = await allocated();
    const merge = new pg.Client({ connectionString: t.databaseUrl });
    const scan = new pg.Client({ connectionString: t.databaseUrl });
    await merge.connect();
    await scan.connect();
    const waiting = async () => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
        const { rows } = await scan.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        );
        if (rows[0].n > 0) return;
      }
      throw new Error('the void never waited on a lock');
    };
    try {
      // A merge holds the target invoice while the void locks the target's boxes and waits on it.
      await merge.query('begin');
      const [{ id: targetId }] = (await merge.query(`select id from invoice where number = $1 for update`, [target.number])).rows;
      const voided = t.ok(`mutation($n: String!) { voidInvoice(number: $n) { invoice { status } errors { code } } }`, { n: target.number });
      await waiting();
      // A scan holds one of the source's boxes; the merge moves the source's lines (and so that box) to the target.
      await scan.query('begin');
      await scan.query(`select id from box where label = $1 for update`, [source.labels[0]]);
      await merge.query(`update invoice_line set invoice_id = $1, line_no = line_no + 100 where invoice_id = (select id from invoice where number = $2)`, [
        targetId,
        source.number,
      ]);
      await merge.query(`update invoice set status = 'VOID' where number = $1`, [source.number]);
      await merge.query('commit');
      // The void now waits on the scan's box: run again, it holds nothing the scan wants; locking the box after the
      // invoice, it would hold the invoice the scan's billing wants next (a deadlock).
      await waiting();
      await scan.query(`set local lock_timeout = '300ms'`);
      const invoiceLocked = await scan.query(`select id from invoice where number = $1 for update`, [target.number]).then(
        () => true,
        () => false,
      );
      await scan.query(invoiceLocked ? 'commit' : 'rollback');
      expect(invoiceLocked).toBe(true);
      expect(await voided).toEqual({ voidInvoice: { invoice: { status: 'VOID' }, errors: [] } });
      const boxes = await t.ok(`{ inventory(filter: { label: "${source.labels[0]}" }) { nodes { status } } }`);
      expect(boxes.inventory.nodes).toEqual([{ status: 'IN_INVENTORY' }]);
    } finally {
      await merge.end();
      await scan.end();
    }
  });
});
