// Where a statement's PDF is served (server/src/documents/statement.service.ts): a relative path, the same on every server.
import type { StatementType } from './statement-rules';

export function statementUrl(customerCode: string, from: string, to: string, type: StatementType): string {
  const query = new URLSearchParams({ from, to });
  if (type === 'OPEN_ITEMS') query.set('type', 'open-items');
  return `/documents/statements/${encodeURIComponent(customerCode)}?${query.toString()}`;
}
