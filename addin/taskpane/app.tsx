import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Spinner, Tab, TabList, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { InvoicesPanel, PrebooksPanel, ProductionPanel, PurchaseNeedsPanel, PurchaseOrdersPanel, ShipmentsPanel, StagingPanel } from './panels';
import { AUTO_BILLING_LABELS, label, ROLE_LABELS } from './labels';
import { testConnection, type Connection, type ConnectionCheck } from '../api/graphql-client';
import { loadConnection, saveConnection } from './connection-storage';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL },
  tabs: { flexWrap: 'wrap' },
});

type Status = { kind: 'idle' } | { kind: 'testing' } | { kind: 'ok'; check: ConnectionCheck } | { kind: 'error'; message: string };

const PANELS = {
  prebooks: { label: 'Prebooks', Panel: PrebooksPanel },
  purchaseOrders: { label: 'Purchase Orders', Panel: PurchaseOrdersPanel },
  needs: { label: 'Purchase Needs', Panel: PurchaseNeedsPanel },
  shipments: { label: 'Shipments', Panel: ShipmentsPanel },
  staging: { label: 'Staging', Panel: StagingPanel },
  invoices: { label: 'Invoices', Panel: InvoicesPanel },
  production: { label: 'Production', Panel: ProductionPanel },
} as const;

type PanelKey = keyof typeof PANELS | 'connection';

/** The task pane: connection settings, then one panel per sheet. */
export function App() {
  const styles = useStyles();
  const [connection, setConnection] = useState<Connection>(() => loadConnection(window.localStorage, window.location.origin));
  const [tab, setTab] = useState<PanelKey>(connection.token ? 'prebooks' : 'connection');
  const Panel = tab === 'connection' ? null : PANELS[tab].Panel;
  return (
    <main className={styles.root}>
      <Title3>Stemline</Title3>
      <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_, data) => setTab(data.value as PanelKey)} size="small">
        <Tab value="connection" data-testid="tab-connection">
          Connection
        </Tab>
        {Object.entries(PANELS).map(([key, { label: title }]) => (
          <Tab key={key} value={key} data-testid={`tab-${key}`}>
            {title}
          </Tab>
        ))}
      </TabList>
      {Panel ? <Panel connection={connection} /> : <ConnectionPanel connection={connection} onChange={setConnection} />}
    </main>
  );
}

/** Connection settings: server URL, API token, test connection. */
function ConnectionPanel(props: { connection: Connection; onChange: (connection: Connection) => void }) {
  const { connection, onChange } = props;
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const update = (patch: Partial<Connection>) => onChange({ ...connection, ...patch });

  const onTest = async () => {
    saveConnection(window.localStorage, connection);
    setStatus({ kind: 'testing' });
    try {
      setStatus({ kind: 'ok', check: await testConnection(connection) });
    } catch (error) {
      setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <>
      <Field label="Server URL">
        <Input value={connection.serverUrl} onChange={(_, data) => update({ serverUrl: data.value })} data-testid="server-url" />
      </Field>
      <Field label="API token">
        <Input type="password" value={connection.token} onChange={(_, data) => update({ token: data.value })} data-testid="api-token" />
      </Field>
      <Button appearance="primary" onClick={onTest} disabled={status.kind === 'testing'} data-testid="test-connection">
        Test connection
      </Button>
      {status.kind === 'testing' && <Spinner size="tiny" label="Connecting ..." />}
      {status.kind === 'ok' && (
        <MessageBar intent="success" data-testid="connection-status">
          <MessageBarBody>
            Connected as {status.check.name} ({label(ROLE_LABELS, status.check.role)})
            {status.check.autoBilling ? `; automatic billing: ${label(AUTO_BILLING_LABELS, status.check.autoBilling)}` : ''}
          </MessageBarBody>
        </MessageBar>
      )}
      {status.kind === 'error' && (
        <MessageBar intent="error" data-testid="connection-status">
          <MessageBarBody>{status.message}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
