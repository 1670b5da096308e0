// Open a farm claim sheet on its own sheet (beside Open credit memo): the claim sent to the farm, staff only.
import { useState } from 'react';
import { Button, Field, Input } from '@fluentui/react-components';
import { request, type Connection } from '../api/graphql-client';
import { openPrintableSheet } from '../excel/excel-tables.adapter';
import { farmClaimDocuments } from '../workflows/credit-memo.workflow';
import type { useTask } from './use-task';

export function FarmClaimAction({ connection, task }: { connection: Connection; task: ReturnType<typeof useTask> }) {
  const [number, setNumber] = useState('');
  const open = () =>
    task.run('Opening the claim sheet', async () => {
      const [found] = (await farmClaimDocuments({ request: (query, variables) => request(connection, query, variables) }, [number])).credits;
      if (!found) throw new Error(`No farm claim ${number.trim()}`);
      await openPrintableSheet(found.sheet);
      return { intent: 'success', text: `The claim sheet of ${found.number} is open on its own sheet, ready to print or send to the farm.`, problems: [] };
    });
  return (
    <>
      <Field label="Farm claim #">
        <Input value={number} onChange={(_, d) => setNumber(d.value)} />
      </Field>
      <Button onClick={open} disabled={task.state.running || !number}>
        Open claim sheet
      </Button>
    </>
  );
}
