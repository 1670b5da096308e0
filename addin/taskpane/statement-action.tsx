// Open customer statements on their own sheets (one per customer, each numbering its own pages): the
// statements sent at the end of a month, Balance Forward or Open Items.
import { useState } from 'react';
import { Button, Field, Input, Select } from '@fluentui/react-components';
import { request, type Connection } from '../api/graphql-client';
import { openPrintableSheet } from '../excel/excel-tables.adapter';
import { statementDocuments, type StatementKind } from '../workflows/statement.workflow';
import type { useTask } from './use-task';

export function StatementAction({ connection, task }: { connection: Connection; task: ReturnType<typeof useTask> }) {
  const [customers, setCustomers] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [type, setType] = useState<StatementKind>('BALANCE_FORWARD');
  const open = () =>
    task.run('Opening statements', async () => {
      const statements = await statementDocuments({ request: (query, variables) => request(connection, query, variables) }, customers.split(','), {
        from: from || null,
        to,
        type,
      });
      for (const statement of statements) await openPrintableSheet(statement.sheet);
      const list = statements.map((s) => `${s.customer} ${s.closingBalance}`).join(', ');
      return { intent: 'success', text: `${statements.length} statement(s) to ${to} open, one sheet each (closing balances: ${list}).`, problems: [] };
    });
  return (
    <>
      <Field label="Statements for (codes, comma-separated)">
        <Input value={customers} onChange={(_, d) => setCustomers(d.value)} data-testid="statement-customers" />
      </Field>
      <Field label="Statement from (YYYY-MM-DD)">
        <Input value={from} placeholder="first of the month" onChange={(_, d) => setFrom(d.value)} data-testid="statement-from" />
      </Field>
      <Field label="Statement to (YYYY-MM-DD)">
        <Input value={to} placeholder="last day of the period" onChange={(_, d) => setTo(d.value)} data-testid="statement-to" />
      </Field>
      <Field label="Statement type">
        <Select value={type} onChange={(_, d) => setType(d.value as StatementKind)} data-testid="statement-type">
          <option value="BALANCE_FORWARD">Balance forward</option>
          <option value="OPEN_ITEMS">Open items</option>
        </Select>
      </Field>
      <Button onClick={open} disabled={task.state.running || !customers.trim() || !to.trim()} data-testid="open-statements">
        Open statements
      </Button>
    </>
  );
}
