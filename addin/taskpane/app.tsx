import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Spinner, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { testConnection, type Connection, type ConnectionCheck } from '../api/graphql-client';
import { loadConnection, saveConnection } from './connection-storage';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL },
});

type Status = { kind: 'idle' } | { kind: 'testing' } | { kind: 'ok'; check: ConnectionCheck } | { kind: 'error'; message: string };

/** Connection settings: server URL, API token, test connection. The sheet panels build on this. */
export function App() {
  const styles = useStyles();
  const [connection, setConnection] = useState<Connection>(() => loadConnection(window.localStorage, window.location.origin));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const update = (patch: Partial<Connection>) => setConnection((current) => ({ ...current, ...patch }));

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
    <main className={styles.root}>
      <Title3>Stemline</Title3>
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
            Connected as {status.check.name} ({status.check.role})
            {status.check.autoBilling ? `; automatic billing ${status.check.autoBilling}` : ''}
          </MessageBarBody>
        </MessageBar>
      )}
      {status.kind === 'error' && (
        <MessageBar intent="error" data-testid="connection-status">
          <MessageBarBody>{status.message}</MessageBarBody>
        </MessageBar>
      )}
    </main>
  );
}
