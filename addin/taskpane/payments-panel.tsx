// Payments: push the day's remittances keyed in the Payments table, pull recorded payments with their
// applications, and open the receivables aging on its own sheet.
import { useState } from 'react';
import { Button, Divider, Field, Input, Text } from '@fluentui/react-components';
import { request, type Connection } from '../api/graphql-client';
import { openPrintableSheet } from '../excel/excel-tables.adapter';
import { agingDocument } from '../workflows/aging.workflow';
import { pullDocuments, pushDocuments } from '../workflows/documents.workflow';
import { PAYMENT_STATUSES } from './labels';
import { NewSheetButton, StatusSelect, TaskStatus, useStyles, useWorkflow } from './panels';

/** Today as the pane's clock reads it (YYYY-MM-DD), the aging's default day. */
function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

export function PaymentsPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const [filter, setFilter] = useState({ number: '', customer: '', status: '', from: '', to: '' });
  const set = (key: keyof typeof filter) => (_: unknown, d: { value: string }) => setFilter((f) => ({ ...f, [key]: d.value }));
  const [aging, setAging] = useState({ asOf: today(), customer: '' });
  const busy = task.state.running;
  const openAging = () =>
    task.run('Opening the aging', async () => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(aging.asOf)) throw new Error('Choose the day to age to (As of).');
      const api = { request: <T,>(query: string, variables?: Record<string, unknown>) => request<T>(connection, query, variables) };
      const { sheet, customers } = await agingDocument(api, aging.asOf, aging.customer.trim() || null);
      await openPrintableSheet(sheet);
      return {
        intent: customers ? 'success' : 'warning',
        text: customers
          ? `The receivables aging as of ${aging.asOf} is open on its own sheet: ${customers} customer(s), ready to print.`
          : `Nothing is open or unapplied as of ${aging.asOf}${aging.customer.trim() ? ` for ${aging.customer.trim()}` : ''}: the aging sheet has no customer row.`,
        problems: [],
      };
    });
  return (
    <div className={styles.panel}>
      <Text size={200}>
        Key the day&apos;s checks and wires, one row per invoice the remittance pays (Invoice # and Applied), or one row without an invoice to pay the oldest
        due first. A pushed payment is recorded and not edited.
      </Text>
      <div className={styles.buttons}>
        <NewSheetButton table="Payments" run={run} disabled={busy} />
        <Button appearance="primary" onClick={() => run('Pushing', (ctx) => pushDocuments(ctx, 'payments'))} disabled={busy} data-testid="push-Payments">
          Push
        </Button>
      </div>
      <TaskStatus task={task} tables={tables} />
      <Divider />
      <Text weight="semibold">Pull recorded payments, with their applications</Text>
      <Field label="Payment #">
        <Input value={filter.number} onChange={set('number')} data-testid="filter-number-Payments" />
      </Field>
      <Field label="Customer">
        <Input value={filter.customer} onChange={set('customer')} data-testid="filter-customer-Payments" />
      </Field>
      <StatusSelect
        label="Status"
        options={PAYMENT_STATUSES}
        value={filter.status}
        onChange={(status) => setFilter((f) => ({ ...f, status }))}
        testId="filter-status-Payments"
      />
      <div className={styles.dates}>
        <Field label="Received from">
          <Input type="date" value={filter.from} onChange={set('from')} data-testid="filter-from-Payments" />
        </Field>
        <Field label="to">
          <Input type="date" value={filter.to} onChange={set('to')} data-testid="filter-to-Payments" />
        </Field>
      </div>
      <Button onClick={() => run('Pulling Payments', (ctx) => pullDocuments(ctx, 'payments', filter))} disabled={busy} data-testid="pull-Payments">
        Pull into the sheet
      </Button>
      <Divider />
      <Text weight="semibold">Receivables aging</Text>
      <Field label="As of">
        <Input type="date" value={aging.asOf} onChange={(_, d) => setAging((a) => ({ ...a, asOf: d.value }))} data-testid="aging-as-of" />
      </Field>
      <Field label="Customer" hint="Blank: every customer with something open or unapplied.">
        <Input value={aging.customer} onChange={(_, d) => setAging((a) => ({ ...a, customer: d.value }))} data-testid="aging-customer" />
      </Field>
      <Button onClick={openAging} disabled={busy} data-testid="open-aging">
        Open aging sheet
      </Button>
    </div>
  );
}
