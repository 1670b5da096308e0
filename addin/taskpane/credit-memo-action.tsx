// Open a credit memo on its own sheet (like an invoice's Open as a sheet): the document sent to the customer.
import { useState } from 'react';
import { Button, Field, Input } from '@fluentui/react-components';
import { request, type Connection } from '../api/graphql-client';
import { openPrintableSheet } from '../excel/excel-tables.adapter';
import { creditMemoDocuments } from '../workflows/credit-memo.workflow';
import type { useTask } from './use-task';

export function CreditMemoAction({ connection, task }: { connection: Connection; task: ReturnType<typeof useTask> }) {
  const [number, setNumber] = useState('');
  const open = () =>
    task.run('Opening the credit memo', async () => {
      const [found] = (await creditMemoDocuments({ request: (query, variables) => request(connection, query, variables) }, [number])).credits;
      if (!found) throw new Error(`No credit ${number.trim()}`);
      await openPrintableSheet(found.sheet);
      return { intent: 'success', text: `The credit memo of ${found.number} is open on its own sheet, ready to print or send.`, problems: [] };
    });
  return (
    <>
      <Field label="Credit #">
        <Input value={number} onChange={(_, d) => setNumber(d.value)} />
      </Field>
      <Button onClick={open} disabled={task.state.running || !number}>
        Open credit memo
      </Button>
    </>
  );
}
