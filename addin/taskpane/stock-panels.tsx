// The Inventory panel (pull coloured by age band, push adjustments) and the Count panel (push scans into a
// physical count, refresh its report, close it), over the stock workflows with the Excel table adapter.
import { useState } from 'react';
import { Button, Divider, Field, Input, Text } from '@fluentui/react-components';
import type { Connection } from '../api/graphql-client';
import { closeCount, pullInventory, pushAdjustments, pushCount, refreshCountReport } from '../workflows/stock.workflow';
import { NewSheetButton, StatusSelect, TaskStatus, useStyles, useWorkflow } from './panels';

/** What closing a count does with the boxes expected and not scanned. */
const MISSING_AS: Array<[string, string]> = [
  ['SHRINK', 'Write them off as shrink'],
  ['DUMP', 'Write them off as dumped'],
  ['OTHER', 'Write them off (other reason)'],
  ['', 'Close without adjusting'],
];

/** Inventory: every box with its age and age band (rows coloured green, yellow, red; in transit blue); adjustments pushed from the sheet. */
export function InventoryPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [filter, setFilter] = useState({ location: '', product: '', customer: '' });
  const set = (key: keyof typeof filter) => (_: unknown, d: { value: string }) => setFilter((f) => ({ ...f, [key]: d.value }));
  const busy = task.state.running;
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <NewSheetButton table="Inventory" run={run} disabled={busy} />
      </div>
      <Field label="Location">
        <Input value={filter.location} onChange={set('location')} data-testid="filter-location-Inventory" />
      </Field>
      <Field label="Product">
        <Input value={filter.product} onChange={set('product')} data-testid="filter-product-Inventory" />
      </Field>
      <Field label="Customer">
        <Input value={filter.customer} onChange={set('customer')} data-testid="filter-customer-Inventory" />
      </Field>
      <div className={styles.buttons}>
        <Button appearance="primary" onClick={() => run('Pulling inventory', (ctx) => pullInventory(ctx, filter))} disabled={busy} data-testid="pull-Inventory">
          Pull inventory
        </Button>
        <Button onClick={() => run('Adjusting inventory', pushAdjustments)} disabled={busy} data-testid="push-Inventory">
          Push adjustments
        </Button>
      </div>
      <Text size={200}>Type Adjust Units and a Reason (DUMP, SHRINK, EXPIRED, DONATION, SAMPLE, OTHER) on the rows to take units out, then push.</Text>
      <TaskStatus task={task} tables={tables} />
    </div>
  );
}

/** Count: scan labels into the Label column, push them into a count of a location, read what is missing or unexpected, close. */
export function CountPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [location, setLocation] = useState('');
  const [count, setCount] = useState('');
  const [missingAs, setMissingAs] = useState('SHRINK');
  const busy = task.state.running;
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <NewSheetButton table="Count" run={run} disabled={busy} />
      </div>
      <Field label="Location (starts a count unless the sheet's count is open)">
        <Input value={location} onChange={(_, d) => setLocation(d.value)} data-testid="count-location" />
      </Field>
      <Field label="Count # (optional: the sheet's own by default)">
        <Input value={count} onChange={(_, d) => setCount(d.value)} data-testid="count-number" />
      </Field>
      <div className={styles.buttons}>
        <Button
          appearance="primary"
          onClick={() => run('Sending scans', (ctx) => pushCount(ctx, { count, location }))}
          disabled={busy}
          data-testid="push-Count"
        >
          Push scans
        </Button>
        <Button onClick={() => run('Reading the count report', (ctx) => refreshCountReport(ctx, { count }))} disabled={busy} data-testid="report-Count">
          Refresh report
        </Button>
      </div>
      <TaskStatus task={task} tables={tables} />
      <Divider />
      <StatusSelect label="Missing boxes" options={MISSING_AS} value={missingAs} onChange={setMissingAs} testId="count-missing-as" />
      <Button
        onClick={() => run('Closing the count', (ctx) => closeCount(ctx, { count, applyMissingAs: missingAs }))}
        disabled={busy}
        data-testid="close-Count"
      >
        Close the count
      </Button>
    </div>
  );
}
