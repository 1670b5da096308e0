// Credits: push and pull the Credits table like Prebooks; a sales manager approves or rejects the credits of the selected rows.
import { useState } from 'react';
import { Button, Divider, Field, Input, Text } from '@fluentui/react-components';
import type { Connection } from '../api/graphql-client';
import { selectedRows } from '../excel/excel-tables.adapter';
import { decideCredits, type CreditDecision } from '../workflows/credit-approval.workflow';
import { pullDocuments, pushDocuments, refreshStale } from '../workflows/documents.workflow';
import { CREDIT_STATUSES } from './labels';
import { NewSheetButton, StatusSelect, TaskStatus, useStyles, useWorkflow } from './panels';

export function CreditsPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [filter, setFilter] = useState({ number: '', customer: '', invoice: '', status: 'PENDING', from: '', to: '' });
  const set = (key: keyof typeof filter) => (_: unknown, d: { value: string }) => setFilter((f) => ({ ...f, [key]: d.value }));
  const [reason, setReason] = useState('');
  const busy = task.state.running;
  const decide = (label: string, decision: CreditDecision) => run(label, async (ctx) => decideCredits(ctx, await selectedRows('Credits'), decision));
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <NewSheetButton table="Credits" run={run} disabled={busy} />
        <Button appearance="primary" onClick={() => run('Pushing', (ctx) => pushDocuments(ctx, 'credits'))} disabled={busy} data-testid="push-Credits">
          Push
        </Button>
        <Button onClick={() => run('Refreshing stale credits', (ctx) => refreshStale(ctx, 'credits'))} disabled={busy} data-testid="refresh-Credits">
          Refresh stale
        </Button>
      </div>
      <TaskStatus task={task} tables={tables} />
      <Divider />
      <Text weight="semibold">Approve or reject (sales manager)</Text>
      <Text size={200}>Select any cell of each credit&apos;s rows in the Credits table: the whole credit is decided.</Text>
      <div className={styles.buttons}>
        <Button appearance="primary" onClick={() => decide('Approving', { action: 'approve' })} disabled={busy} data-testid="approve-Credits">
          Approve selected
        </Button>
        <Button onClick={() => decide('Rejecting', { action: 'reject', reason })} disabled={busy} data-testid="reject-Credits">
          Reject selected
        </Button>
      </div>
      <Field label="Reason for rejecting" hint="Required to reject: kept with each credit.">
        <Input value={reason} onChange={(_, d) => setReason(d.value)} data-testid="reject-reason" />
      </Field>
      <Divider />
      <Text weight="semibold">Pull from the server to edit or approve</Text>
      <Field label="Credit #">
        <Input value={filter.number} onChange={set('number')} data-testid="filter-number-Credits" />
      </Field>
      <Field label="Customer">
        <Input value={filter.customer} onChange={set('customer')} data-testid="filter-customer-Credits" />
      </Field>
      <Field label="Invoice #">
        <Input value={filter.invoice} onChange={set('invoice')} data-testid="filter-invoice-Credits" />
      </Field>
      <StatusSelect
        label="Status"
        options={CREDIT_STATUSES}
        value={filter.status}
        onChange={(status) => setFilter((f) => ({ ...f, status }))}
        testId="filter-status-Credits"
      />
      <div className={styles.dates}>
        <Field label="Requested from">
          <Input type="date" value={filter.from} onChange={set('from')} data-testid="filter-from-Credits" />
        </Field>
        <Field label="to">
          <Input type="date" value={filter.to} onChange={set('to')} data-testid="filter-to-Credits" />
        </Field>
      </div>
      <Button onClick={() => run('Pulling Credits', (ctx) => pullDocuments(ctx, 'credits', filter))} disabled={busy} data-testid="pull-Credits">
        Pull into the sheet
      </Button>
    </div>
  );
}
