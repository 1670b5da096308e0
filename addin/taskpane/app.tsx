import { useState } from 'react';
import {
  Button,
  Field,
  Input,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Overflow,
  OverflowItem,
  Spinner,
  Tab,
  TabList,
  Title3,
  makeStyles,
  tokens,
  useIsOverflowItemVisible,
  useOverflowMenu,
} from '@fluentui/react-components';
import { InvoicesPanel, PrebooksPanel, ProductionPanel, PurchaseNeedsPanel, PurchaseOrdersPanel, ShipmentsPanel, StagingPanel } from './panels';
import { CountPanel, InventoryPanel } from './stock-panels';
import { CreditsPanel } from './credits-panel';
import { PaymentsPanel } from './payments-panel';
import { PriceListsPanel } from './price-lists.panel';
import { AUTO_BILLING_LABELS, label, ROLE_LABELS } from './labels';
import { testConnection, type Connection, type ConnectionCheck } from '../api/graphql-client';
import { explainError, type ExplainedError } from '../api/connection-errors';
import { OUTSIDE_EXCEL_MESSAGE } from '../excel/host';
import { loadConnection, saveConnection } from './connection-storage';
import { ErrorDetail } from './error-detail';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL },
  // One row, whatever the pane's width: the tabs that do not fit go under More (Fluent's Overflow).
  tabs: { flexWrap: 'nowrap', minWidth: 0, overflow: 'hidden' },
  // Worded and sized like a tab, so the row reads as one.
  more: {
    flexShrink: 0,
    minWidth: 'auto',
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightRegular,
    color: tokens.colorNeutralForeground2,
  },
});

type Status = { kind: 'idle' } | { kind: 'testing' } | { kind: 'ok'; check: ConnectionCheck } | ({ kind: 'error' } & ExplainedError);

const PANELS = {
  prebooks: { label: 'Prebooks', Panel: PrebooksPanel },
  purchaseOrders: { label: 'Purchase Orders', Panel: PurchaseOrdersPanel },
  needs: { label: 'Purchase Needs', Panel: PurchaseNeedsPanel },
  shipments: { label: 'Shipments', Panel: ShipmentsPanel },
  staging: { label: 'Staging', Panel: StagingPanel },
  invoices: { label: 'Invoices', Panel: InvoicesPanel },
  production: { label: 'Production', Panel: ProductionPanel },
  inventory: { label: 'Inventory', Panel: InventoryPanel },
  count: { label: 'Count', Panel: CountPanel },
  credits: { label: 'Credits', Panel: CreditsPanel },
  priceLists: { label: 'Price Lists', Panel: PriceListsPanel },
  payments: { label: 'Payments', Panel: PaymentsPanel },
} as const;

type PanelKey = keyof typeof PANELS | 'connection';

/** In the order of a day's work; Connection, set once, comes last (and shows first until there is a token). */
const TABS: Array<{ key: PanelKey; title: string }> = [
  ...Object.entries(PANELS).map(([key, { label: title }]) => ({ key: key as PanelKey, title })),
  { key: 'connection', title: 'Connection' },
];

/** The task pane: connection settings, then one panel per sheet. */
export function App({ inExcel }: { inExcel: boolean }) {
  const styles = useStyles();
  const [connection, setConnection] = useState<Connection>(() => loadConnection(window.localStorage, window.location.origin));
  const [tab, setTab] = useState<PanelKey>(connection.token && inExcel ? 'prebooks' : 'connection');
  // Set once Fluent's Overflow has measured the tabs: which are shown and which are under More.
  const [measured, setMeasured] = useState(false);
  const Panel = tab === 'connection' ? null : PANELS[tab].Panel;
  return (
    <main className={styles.root}>
      <Title3>Stemline</Title3>
      {!inExcel && (
        <MessageBar intent="warning" layout="multiline" data-testid="outside-excel">
          <MessageBarBody>{OUTSIDE_EXCEL_MESSAGE}</MessageBarBody>
        </MessageBar>
      )}
      <Overflow padding={8} minimumVisible={1} onOverflowChange={() => setMeasured(true)}>
        <TabList
          className={styles.tabs}
          selectedValue={tab}
          onTabSelect={(_, data) => setTab(data.value as PanelKey)}
          size="small"
          data-testid="tabs"
          data-measured={measured ? 'true' : undefined}
        >
          {TABS.map(({ key, title }) => (
            // The open tab never goes under More.
            <OverflowItem key={key} id={key} priority={key === tab ? 2 : 1}>
              <Tab value={key} data-testid={`tab-${key}`}>
                {title}
              </Tab>
            </OverflowItem>
          ))}
          <MoreTabs className={styles.more} onSelect={setTab} />
        </TabList>
      </Overflow>
      {Panel ? <Panel connection={connection} /> : <ConnectionPanel connection={connection} onChange={setConnection} />}
    </main>
  );
}

/** The tabs that do not fit, as a menu at the end of the row; nothing when they all fit. */
function MoreTabs({ className, onSelect }: { className: string; onSelect: (key: PanelKey) => void }) {
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button ref={ref} className={className} appearance="transparent" size="small" aria-label={`More: ${overflowCount} more tabs`} data-testid="tab-more">
          More ▾
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {TABS.map(({ key, title }) => (
            <MoreTab key={key} id={key} title={title} onSelect={onSelect} />
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

function MoreTab({ id, title, onSelect }: { id: PanelKey; title: string; onSelect: (key: PanelKey) => void }) {
  if (useIsOverflowItemVisible(id)) return null;
  return (
    <MenuItem onClick={() => onSelect(id)} data-testid={`more-${id}`}>
      {title}
    </MenuItem>
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
      setStatus({ kind: 'error', ...explainError(error, connection) });
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
        <>
          <MessageBar intent="error" layout="multiline" data-testid="connection-status">
            <MessageBarBody>{status.message}</MessageBarBody>
          </MessageBar>
          <ErrorDetail detail={status.detail} />
        </>
      )}
    </>
  );
}
