// One panel per table: buttons and filters over the workflows (addin/workflows), with the Excel table adapter.
import { useMemo, useState } from 'react';
import {
  Button,
  Checkbox,
  Divider,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Select,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { request, type Connection } from '../api/graphql-client';
import { fetchDocument } from '../api/documents-client';
import { excelTables, openPrintableSheet, selectedRows } from '../excel/excel-tables.adapter';
import { labelsOfRows } from '../sheets/staging.sheet';
import type { TableName } from '../sheets/tables';
import { confirmStaging } from '../workflows/confirm.workflow';
import { pullDocuments, pushDocuments, refreshStale, tableOf, type DocumentKind } from '../workflows/documents.workflow';
import { invoiceDocumentsByNumber } from '../workflows/invoice.workflow';
import { availabilityDocument } from '../workflows/availability.workflow';
import { pullInvoices, pullNeeds, pullProduction, pullStaging } from '../workflows/lists.workflow';
import { pushShipments } from '../workflows/shipments.workflow';
import type { Outcome, TableIO, WorkflowContext } from '../workflows/table-io';
import { newTemplate } from '../workflows/template.workflow';
import { INVOICE_STATUSES, PREBOOK_STATUSES, PRODUCTION_RUN_STATUSES, PURCHASE_ORDER_STATUSES } from './labels';
import { ErrorDetail } from './error-detail';
import { CreditMemoAction } from './credit-memo-action';
import { FarmClaimAction } from './farm-claim-action';
import { StatementAction } from './statement-action';
import { useTask } from './use-task';

export const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  dates: { display: 'flex', gap: tokens.spacingHorizontalS },
  problems: { margin: 0, paddingLeft: tokens.spacingHorizontalL, maxHeight: '240px', overflowY: 'auto' },
});

/** Rows listed under an outcome: enough to work through, never a wall. */
const MAX_PROBLEMS = 50;

/** The task, and the workflow context it runs in: the Excel tables and the server of this connection. */
export function useWorkflow(connection: Connection) {
  const task = useTask(connection);
  const tables = useMemo(() => excelTables(), []);
  const run = (label: string, work: (ctx: WorkflowContext) => Promise<Outcome>) =>
    task.run(label, (signal, onProgress) =>
      work({ tables, api: { request: (query, variables) => request(connection, query, variables) }, signal, onProgress }),
    );
  return { task, tables, run };
}

export function TaskStatus({ task, tables }: { task: ReturnType<typeof useTask>; tables: TableIO }) {
  const styles = useStyles();
  const { state, cancel } = task;
  const outcome = state.outcome;
  const table = outcome?.table;
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
      {outcome && (
        <MessageBar intent={outcome.intent} layout="multiline" data-testid="task-outcome" data-intent={outcome.intent}>
          <MessageBarBody>{outcome.text}</MessageBarBody>
        </MessageBar>
      )}
      {outcome && <ErrorDetail detail={state.detail} />}
      {outcome && table && outcome.problems.length > 0 && (
        <ul className={styles.problems} data-testid="problems" aria-label="Rows to look at">
          {outcome.problems.slice(0, MAX_PROBLEMS).map((problem) => (
            <li key={problem.row}>
              <Link as="button" data-testid="problem-link" onClick={() => void tables.select?.(table, problem.row)}>
                Row {problem.sheetRow}
              </Link>{' '}
              {problem.status}: {problem.message}
            </li>
          ))}
          {outcome.problems.length > MAX_PROBLEMS && <li>… and {outcome.problems.length - MAX_PROBLEMS} more rows: filter the Status column.</li>}
        </ul>
      )}
    </>
  );
}

export function StatusSelect(props: { label: string; options: Array<[string, string]>; value: string; onChange: (value: string) => void; testId: string }) {
  return (
    <Field label={props.label}>
      <Select value={props.value} onChange={(_, d) => props.onChange(d.value)} data-testid={props.testId}>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function NewSheetButton({ table, run, disabled }: { table: TableName; run: ReturnType<typeof useWorkflow>['run']; disabled: boolean }) {
  return (
    <Button onClick={() => run('Creating the table', (ctx) => newTemplate(ctx, table))} disabled={disabled} data-testid={`new-${table}`}>
      New sheet
    </Button>
  );
}

/** Prebooks and Purchase Orders: new sheet, push, refresh the stale documents, and pull by filter to edit. */
export function DocumentPanel({ connection, kind }: { connection: Connection; kind: DocumentKind }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const table = tableOf(kind);
  const [filter, setFilter] = useState({ number: '', customer: '', vendor: '', status: '', from: '', to: '' });
  const set = (key: keyof typeof filter) => (_: unknown, d: { value: string }) => setFilter((f) => ({ ...f, [key]: d.value }));
  // A new prebook's truck date before today is refused unless the buyer ticks this for the push.
  const [allowPast, setAllowPast] = useState(false);
  const busy = task.state.running;
  const dates = kind === 'prebooks' ? 'Truck date' : 'Ship date';
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <NewSheetButton table={table} run={run} disabled={busy} />
        <Button
          appearance="primary"
          onClick={() => run('Pushing', (ctx) => pushDocuments(ctx, kind, { allowPast }))}
          disabled={busy}
          data-testid={`push-${table}`}
        >
          Push
        </Button>
        <Button onClick={() => run('Refreshing stale documents', (ctx) => refreshStale(ctx, kind))} disabled={busy} data-testid={`refresh-${table}`}>
          Refresh stale
        </Button>
      </div>
      {kind === 'prebooks' && (
        <Checkbox
          label="Allow past truck dates"
          checked={allowPast}
          onChange={(_, d) => setAllowPast(d.checked === true)}
          disabled={busy}
          data-testid="allow-past-Prebooks"
        />
      )}
      <TaskStatus task={task} tables={tables} />
      <Divider />
      <Text weight="semibold">Pull from the server to edit</Text>
      <Field label={kind === 'prebooks' ? 'Prebook #' : 'PO #'}>
        <Input value={filter.number} onChange={set('number')} data-testid={`filter-number-${table}`} />
      </Field>
      <Field label="Customer">
        <Input value={filter.customer} onChange={set('customer')} data-testid={`filter-customer-${table}`} />
      </Field>
      <Field label={kind === 'prebooks' ? 'Vendor (named on a line)' : 'Vendor'}>
        <Input value={filter.vendor} onChange={set('vendor')} data-testid={`filter-vendor-${table}`} />
      </Field>
      <StatusSelect
        label="Status"
        options={kind === 'prebooks' ? PREBOOK_STATUSES : PURCHASE_ORDER_STATUSES}
        value={filter.status}
        onChange={(status) => setFilter((f) => ({ ...f, status }))}
        testId={`filter-status-${table}`}
      />
      <div className={styles.dates}>
        <Field label={`${dates} from`}>
          <Input type="date" value={filter.from} onChange={set('from')} data-testid={`filter-from-${table}`} />
        </Field>
        <Field label="to">
          <Input type="date" value={filter.to} onChange={set('to')} data-testid={`filter-to-${table}`} />
        </Field>
      </div>
      <Button onClick={() => run(`Pulling ${table}`, (ctx) => pullDocuments(ctx, kind, filter))} disabled={busy} data-testid={`pull-${table}`}>
        Pull into the sheet
      </Button>
    </div>
  );
}

export function PrebooksPanel({ connection }: { connection: Connection }) {
  return <DocumentPanel connection={connection} kind="prebooks" />;
}

export function PurchaseOrdersPanel({ connection }: { connection: Connection }) {
  return <DocumentPanel connection={connection} kind="purchaseOrders" />;
}

/** Shipments: one row per PO line shipped; Push records each PO # and AWB as a shipment (boxes into staging). */
export function ShipmentsPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <NewSheetButton table="Shipments" run={run} disabled={task.state.running} />
        <Button appearance="primary" onClick={() => run('Shipping', pushShipments)} disabled={task.state.running} data-testid="push-Shipments">
          Push
        </Button>
      </div>
      <TaskStatus task={task} tables={tables} />
    </div>
  );
}

/** Purchase needs: prebook lines still to buy, added to the PurchaseOrders sheet to complete and push. */
export function PurchaseNeedsPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [customer, setCustomer] = useState('');
  return (
    <div className={styles.panel}>
      <Field label="Customer (optional)">
        <Input value={customer} onChange={(_, d) => setCustomer(d.value)} />
      </Field>
      <Button appearance="primary" onClick={() => run('Pulling purchase needs', (ctx) => pullNeeds(ctx, { customer }))} disabled={task.state.running}>
        Pull needs into Purchase Orders
      </Button>
      <TaskStatus task={task} tables={tables} />
    </div>
  );
}

/** Staging: pull staged boxes, preview what confirming the marked rows would bill, confirm them. */
export function StagingPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [po, setPo] = useState('');
  const [vendor, setVendor] = useState('');
  const [customer, setCustomer] = useState('');
  const busy = task.state.running;
  const printLabels = () => {
    // Opened now, while the click still allows a new window; it gets the PDF once the server sends it.
    const viewer = window.open('', '_blank');
    return task.run('Printing labels', async () => {
      try {
        const labels = labelsOfRows(await selectedRows('Staging'));
        if (!labels.length) throw new Error('Select rows of the Staging table first: their box labels print.');
        const document = await fetchDocument(connection, '/documents/box-labels', { labels });
        const url = URL.createObjectURL(new Blob([document.bytes as BlobPart], { type: 'application/pdf' }));
        if (viewer) viewer.location.href = url;
        else window.open(url, '_blank');
        return {
          intent: 'success',
          text: `${document.count} box label(s) opened as a PDF, one 4x6 in label per page: print it from the viewer.`,
          problems: [],
        };
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
      <Field label="Customer">
        <Input value={customer} onChange={(_, d) => setCustomer(d.value)} data-testid="filter-customer-Staging" />
      </Field>
      <div className={styles.buttons}>
        <Button onClick={() => run('Pulling staging', (ctx) => pullStaging(ctx, { purchaseOrder: po, vendor, customer }))} disabled={busy}>
          Pull
        </Button>
        <Button onClick={() => run('Previewing', (ctx) => confirmStaging(ctx, true))} disabled={busy}>
          Preview
        </Button>
        <Button appearance="primary" onClick={() => run('Confirming', (ctx) => confirmStaging(ctx, false))} disabled={busy} data-testid="confirm-Staging">
          Confirm
        </Button>
        <Button onClick={printLabels} disabled={busy} data-testid="print-labels">
          Print labels
        </Button>
      </div>
      <TaskStatus task={task} tables={tables} />
    </div>
  );
}

/** Invoices: pull invoices with filters, one row per line; open one as its own sheet, or the customer's availability list. */
export function InvoicesPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [customer, setCustomer] = useState('');
  const [status, setStatus] = useState('');
  const [number, setNumber] = useState('');
  const openInvoice = () =>
    task.run('Opening the invoice', async () => {
      const [found] = (await invoiceDocumentsByNumber({ request: (query, variables) => request(connection, query, variables) }, [number])).invoices;
      if (!found) throw new Error(`No invoice ${number.trim()}`);
      await openPrintableSheet(found.sheet);
      return { intent: 'success', text: `${found.number} is open on its own sheet, ready to print or send.`, problems: [] };
    });
  const [onHandOnly, setOnHandOnly] = useState(false);
  const openAvailability = () =>
    task.run('Opening the availability list', async () => {
      const list = await availabilityDocument({ request: (query, variables) => request(connection, query, variables) }, { customer, onHandOnly });
      await openPrintableSheet(list.sheet);
      return {
        intent: 'success',
        text: `The availability list${list.customer ? ` for ${list.customer}` : ''} (${list.lines} product${list.lines === 1 ? '' : 's'}) is open on its own sheet.`,
        problems: [],
      };
    });
  return (
    <div className={styles.panel}>
      <Field label="Customer">
        <Input value={customer} onChange={(_, d) => setCustomer(d.value)} />
      </Field>
      <StatusSelect label="Status" options={INVOICE_STATUSES} value={status} onChange={setStatus} testId="filter-status-Invoices" />
      <Button appearance="primary" onClick={() => run('Pulling invoices', (ctx) => pullInvoices(ctx, { customer, status }))} disabled={task.state.running}>
        Pull invoices
      </Button>
      <Field label="Invoice #">
        <Input value={number} onChange={(_, d) => setNumber(d.value)} />
      </Field>
      <Button onClick={openInvoice} disabled={task.state.running || !number}>
        Open as a sheet
      </Button>
      <CreditMemoAction connection={connection} task={task} />
      <FarmClaimAction connection={connection} task={task} />
      <StatementAction connection={connection} task={task} />
      <Checkbox label="On hand only" checked={onHandOnly} onChange={(_, d) => setOnHandOnly(d.checked === true)} />
      <Button onClick={openAvailability} disabled={task.state.running} data-testid="open-availability">
        Availability list for the customer
      </Button>
      <TaskStatus task={task} tables={tables} />
    </div>
  );
}

/** Production runs: a row per run and component (required, transferred, short/over, costs), then the run's totals. */
export function ProductionPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [number, setNumber] = useState('');
  const [company, setCompany] = useState('');
  const [status, setStatus] = useState('');
  return (
    <div className={styles.panel}>
      <Field label="Run #">
        <Input value={number} onChange={(_, d) => setNumber(d.value)} />
      </Field>
      <Field label="Production company">
        <Input value={company} onChange={(_, d) => setCompany(d.value)} />
      </Field>
      <StatusSelect label="Status" options={PRODUCTION_RUN_STATUSES} value={status} onChange={setStatus} testId="filter-status-Production" />
      <Button
        appearance="primary"
        onClick={() => run('Pulling production runs', (ctx) => pullProduction(ctx, { run: number, productionCompany: company, status }))}
        disabled={task.state.running}
      >
        Pull production runs
      </Button>
      <TaskStatus task={task} tables={tables} />
    </div>
  );
}
