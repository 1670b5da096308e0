import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { fetchDocument } from '../api/documents-client';
import { request, type Connection } from '../api/graphql-client';
import type { ConfirmStagingMutation, ConfirmStagingMutationVariables } from '../api/generated/operations';
import { CONFIRM_STAGING, INVOICE, INVOICES, MASTER_DATA, PURCHASE_NEEDS, SAVE_PREBOOKS, SAVE_PURCHASE_ORDERS, STAGING } from '../api/documents';
import { createTable, readSelectedRows, readTable, replaceRows, writeInvoiceSheet, writeRowUpdates, type InvoiceDocument, type ReplaceOptions } from '../excel/table.adapter';
import type { DocumentSheetSpec } from '../sheets/documents';
import { invoiceRows, type InvoiceSummary } from '../sheets/invoices.sheet';
import { prebookSheet } from '../sheets/prebooks.sheet';
import { pullPages, purchaseOrderRowFromNeed, type Page, type PurchaseNeedRow } from '../sheets/pull';
import { purchaseOrderSheet } from '../sheets/purchase-orders.sheet';
import { pushRows, type PushAnswer } from '../sheets/push';
import { confirmUpdates, labelsOfRows, labelsToConfirm, stagingRow, type StagedBox } from '../sheets/staging.sheet';
import type { CellValue, TableName } from '../sheets/tables';
import { useTask } from './use-task';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

function TaskStatus({ task }: { task: ReturnType<typeof useTask> }) {
  const { state, cancel } = task;
  return (
    <>
      {state.running && (
        <Field label={state.total ? `${state.label}: ${state.done} of ${state.total}` : state.label} data-testid="task-progress">
          <ProgressBar value={state.total ? state.done / state.total : undefined} />
          <Button size="small" onClick={cancel} data-testid="cancel">
            Cancel
          </Button>
        </Field>
      )}
      {state.outcome && (
        <MessageBar intent={state.outcome.intent} data-testid="task-outcome">
          <MessageBarBody>{state.outcome.text}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}

async function masterDataLists(connection: Connection): Promise<Record<string, string[]>> {
  type Nodes = { nodes: Array<{ code: string; shipTos?: Array<{ code: string }> }> };
  const data = await request<Record<string, Nodes>>(connection, MASTER_DATA);
  const codes = (key: string) => data[key].nodes.map((n) => n.code);
  return {
    Customer: codes('customers'),
    'Ship To': [...new Set(data.customers.nodes.flatMap((c) => (c.shipTos ?? []).map((s) => s.code)))],
    Carrier: codes('carriers'),
    Product: codes('products'),
    Vendor: codes('vendors'),
    'Box Type': codes('boxTypes'),
    Location: codes('locations'),
    'Sell By': ['BOX', 'UNIT'],
  };
}

function summarize(updates: Map<number, Record<string, unknown>>): string {
  const statuses = [...updates.values()].map((u) => u.Status);
  const count = (s: string) => statuses.filter((x) => x === s).length;
  return `${count('OK')} row(s) OK, ${count('ERROR')} with errors, ${count('STALE')} stale${count('CANCELLED') ? `, ${count('CANCELLED')} not sent (cancelled)` : ''}.`;
}

/** Prebooks and Purchase Orders: a new sheet with lists, and a push that writes the outcome into every row. */
export function DocumentPanel<H, L>(props: { connection: Connection; spec: DocumentSheetSpec<H, L>; mutation: string; field: 'savePrebooks' | 'savePurchaseOrders' }) {
  const styles = useStyles();
  const task = useTask();
  const { connection, spec, mutation, field } = props;
  const newSheet = () =>
    task.run('Creating the table', async () => {
      const lists = await masterDataLists(connection);
      await Excel.run((context) => createTable(context, spec.table, lists));
      return `A ${spec.table} table is ready, with drop-down lists from the server's master data.`;
    });
  const push = () =>
    task.run('Pushing', (signal, progress) =>
      Excel.run(async (context) => {
        const snapshot = await readTable(context, spec.table);
        const updates = await pushRows(spec, snapshot.rows, {
          operation: field,
          signal,
          onProgress: progress,
          send: async (input, key) => (await request<Record<string, PushAnswer>>(connection, mutation, { input, key }))[field],
        });
        await writeRowUpdates(context, spec.table, snapshot, updates, progress);
        return summarize(updates);
      }),
    );
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <Button onClick={newSheet} disabled={task.state.running} data-testid={`new-${spec.table}`}>
          New sheet
        </Button>
        <Button appearance="primary" onClick={push} disabled={task.state.running} data-testid={`push-${spec.table}`}>
          Push
        </Button>
      </div>
      <TaskStatus task={task} />
    </div>
  );
}

export function PrebooksPanel({ connection }: { connection: Connection }) {
  return <DocumentPanel connection={connection} spec={prebookSheet} mutation={SAVE_PREBOOKS} field="savePrebooks" />;
}

export function PurchaseOrdersPanel({ connection }: { connection: Connection }) {
  return <DocumentPanel connection={connection} spec={purchaseOrderSheet} mutation={SAVE_PURCHASE_ORDERS} field="savePurchaseOrders" />;
}

interface PullSpec<T> {
  query: string;
  field: string;
  filter: Record<string, unknown>;
  table: TableName;
  /** The nodes as rows in the table's standard column order. */
  rows(nodes: T[]): CellValue[][];
  options?: ReplaceOptions;
  outcome(nodes: T[]): string;
}

/**
 * A pull into a table: every page is read first, then the table is written.
 * Cancelled while reading, it writes nothing and says so: the table stays as it
 * was rather than holding part of the list as if it were all of it (and a
 * second pull of needs would add the first part twice). Once writing has
 * begun it finishes: a half-written table would be worse than a late cancel.
 */
function pullInto<T>(connection: Connection, spec: PullSpec<T>) {
  return async (signal: AbortSignal, progress: (d: number, t: number) => void): Promise<string> => {
    const pulled = await pullPages<T>(async (after) => (await request<Record<string, Page<T>>>(connection, spec.query, { filter: spec.filter, first: 500, after }))[spec.field], progress, signal);
    if (pulled.cancelled) return `Pull cancelled: nothing was written, the ${spec.table} table is as it was (${pulled.nodes.length} of ${pulled.totalCount} fetched when it stopped).`;
    await Excel.run((context) => replaceRows(context, spec.table, spec.rows(pulled.nodes), progress, spec.options));
    return spec.outcome(pulled.nodes) + (signal.aborted ? ' (The cancel came after writing had begun: every row was written.)' : '');
  };
}

/** Purchase needs: prebook lines still to buy, appended to the PurchaseOrders sheet to complete and push. */
export function PurchaseNeedsPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const task = useTask();
  const [customer, setCustomer] = useState('');
  const pullNeeds = () =>
    task.run('Pulling purchase needs', pullInto<PurchaseNeedRow>(connection, {
      query: PURCHASE_NEEDS, field: 'purchaseNeeds', table: 'PurchaseOrders', filter: { customer: customer || undefined }, options: { keepExisting: true },
      rows: (needs) => needs.map(purchaseOrderRowFromNeed),
      outcome: (needs) => `${needs.length} need(s) added to PurchaseOrders: add location and ship date, then push.`,
    }));
  return (
    <div className={styles.panel}>
      <Field label="Customer (optional)">
        <Input value={customer} onChange={(_, d) => setCustomer(d.value)} />
      </Field>
      <Button appearance="primary" onClick={pullNeeds} disabled={task.state.running}>
        Pull needs into Purchase Orders
      </Button>
      <TaskStatus task={task} />
    </div>
  );
}

/** Staging: pull staged boxes, preview what confirming the marked rows would bill, confirm them. */
export function StagingPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const task = useTask();
  const [po, setPo] = useState('');
  const [vendor, setVendor] = useState('');
  const pullStaging = () =>
    task.run('Pulling staging', pullInto<StagedBox>(connection, {
      query: STAGING, field: 'staging', table: 'Staging', filter: { purchaseOrder: po || undefined, vendor: vendor || undefined },
      rows: (boxes) => boxes.map(stagingRow),
      outcome: (boxes) => `${boxes.length} staged box(es). Mark Confirm on the rows to confirm.`,
    }));
  const confirm = (preview: boolean) =>
    task.run(preview ? 'Previewing' : 'Confirming', (_signal, progress) =>
      Excel.run(async (context) => {
        const snapshot = await readTable(context, 'Staging');
        const marked = labelsToConfirm(snapshot.rows);
        if (!marked.length) return 'No row is marked in the Confirm column.';
        const data = await request<ConfirmStagingMutation>(connection, CONFIRM_STAGING, { labels: marked.map((m) => m.label), dryRun: preview } satisfies ConfirmStagingMutationVariables);
        await writeRowUpdates(context, 'Staging', snapshot, confirmUpdates(marked, data.confirmStaging.results, preview), progress);
        const errors = data.confirmStaging.results.filter((r) => r.outcome === 'ERROR').length;
        return `${marked.length - errors} box(es) ${preview ? 'would be confirmed' : 'confirmed'}, ${errors} error(s).`;
      }),
    );
  const printLabels = () => {
    // Opened now, while the click still allows a new window; it gets the PDF once the server sends it.
    const viewer = window.open('', '_blank');
    return task.run('Printing labels', async () => {
      try {
        const labels = labelsOfRows(await Excel.run((context) => readSelectedRows(context, 'Staging')));
        if (!labels.length) throw new Error('Select rows of the Staging table first: their box labels print.');
        const document = await fetchDocument(connection, '/documents/box-labels', { labels });
        const url = URL.createObjectURL(new Blob([document.bytes as BlobPart], { type: 'application/pdf' }));
        if (viewer) viewer.location.href = url;
        else window.open(url, '_blank');
        return `${document.count} box label(s) opened as a PDF, one 4x6 in label per page: print it from the viewer.`;
      } catch (error) {
        viewer?.close();
        throw error;
      }
    });
  };
  return (
    <div className={styles.panel}>
      <Field label="PO #">
        <Input value={po} onChange={(_, d) => setPo(d.value)} />
      </Field>
      <Field label="Vendor">
        <Input value={vendor} onChange={(_, d) => setVendor(d.value)} />
      </Field>
      <div className={styles.buttons}>
        <Button onClick={pullStaging} disabled={task.state.running}>
          Pull
        </Button>
        <Button onClick={() => confirm(true)} disabled={task.state.running}>
          Preview
        </Button>
        <Button appearance="primary" onClick={() => confirm(false)} disabled={task.state.running}>
          Confirm
        </Button>
        <Button onClick={printLabels} disabled={task.state.running} data-testid="print-labels">
          Print labels
        </Button>
      </div>
      <TaskStatus task={task} />
    </div>
  );
}

/** Invoices: pull invoices with filters, one row per line. */
export function InvoicesPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const task = useTask();
  const [customer, setCustomer] = useState('');
  const [status, setStatus] = useState('');
  const [number, setNumber] = useState('');
  const openInvoice = () =>
    task.run('Opening the invoice', async () => {
      const { invoice } = await request<{ invoice: InvoiceDocument | null }>(connection, INVOICE, { number });
      if (!invoice) throw new Error(`No invoice ${number}`);
      await Excel.run((context) => writeInvoiceSheet(context, invoice));
      return `${invoice.number} is open on its own sheet, ready to print.`;
    });
  const pullInvoices = () =>
    task.run('Pulling invoices', pullInto<InvoiceSummary>(connection, {
      query: INVOICES, field: 'invoices', table: 'Invoices', filter: { customer: customer || undefined, status: status || undefined },
      rows: (invoices) => invoices.flatMap(invoiceRows),
      outcome: (invoices) => `${invoices.length} invoice(s).`,
    }));
  return (
    <div className={styles.panel}>
      <Field label="Customer">
        <Input value={customer} onChange={(_, d) => setCustomer(d.value)} />
      </Field>
      <Field label="Status (PENDING, CONFIRMED, VOID)">
        <Input value={status} onChange={(_, d) => setStatus(d.value.toUpperCase())} />
      </Field>
      <Button appearance="primary" onClick={pullInvoices} disabled={task.state.running}>
        Pull invoices
      </Button>
      <Field label="Invoice #">
        <Input value={number} onChange={(_, d) => setNumber(d.value)} />
      </Field>
      <Button onClick={openInvoice} disabled={task.state.running || !number}>
        Open as a sheet
      </Button>
      <TaskStatus task={task} />
    </div>
  );
}
