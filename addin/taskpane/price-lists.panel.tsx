// Price Lists: the PriceLists table (one row per price of a list or of a season), pulled, edited and pushed.
import { Button } from '@fluentui/react-components';
import type { Connection } from '../api/graphql-client';
import { pullPriceLists, pushPriceLists } from '../workflows/price-lists.workflow';
import { NewSheetButton, TaskStatus, useStyles, useWorkflow } from './panels';

/** Pull every list into the PriceLists table; push saves each list named in it whole. */
export function PriceListsPanel({ connection }: { connection: Connection }) {
  const styles = useStyles();
  const { task, tables, run } = useWorkflow(connection);
  const busy = task.state.running;
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <NewSheetButton table="PriceLists" run={run} disabled={busy} />
        <Button onClick={() => run('Pulling price lists', pullPriceLists)} disabled={busy} data-testid="pull-PriceLists">
          Pull price lists
        </Button>
        <Button appearance="primary" onClick={() => run('Pushing prices', pushPriceLists)} disabled={busy} data-testid="push-PriceLists">
          Push
        </Button>
      </div>
      <TaskStatus task={task} tables={tables} />
    </div>
  );
}
