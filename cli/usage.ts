// The sheet tool's usage text: every command, its options and exit codes (stemline-sheet --help).
import { CREDIT_USAGE } from './credit.command';
import { LABELS_USAGE } from './labels.command';
import { STOCK_USAGE } from './stock.command';
import { STATEMENT_USAGE } from './statement.command';

export const USAGE = `Usage:
  stemline-sheet new <prebooks|purchase-orders|shipments|staging|invoices|credits|price-lists|payments> --out <file.xlsx>
  stemline-sheet push prebooks <file.xlsx> [--allow-past]
  stemline-sheet push purchase-orders <file.xlsx>
  stemline-sheet push shipments <file.xlsx>
  stemline-sheet push credits <file.xlsx>
  stemline-sheet push payments <file.xlsx>
  stemline-sheet pull prebooks --out <file.xlsx> [--number PB-…] [--customer CODE] [--vendor CODE] [--status OPEN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull purchase-orders --out <file.xlsx> [--number PO-…] [--vendor CODE] [--customer CODE] [--status OPEN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull needs --out <file.xlsx> [--customer CODE] [--vendor CODE]
  stemline-sheet pull credits --out <file.xlsx> [--number CR-…] [--customer CODE] [--invoice INV-…] [--status PENDING] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull payments --out <file.xlsx> [--number PMT-…] [--customer CODE] [--status POSTED] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet refresh <prebooks|purchase-orders|credits> <file.xlsx>
  stemline-sheet pull staging --out <file.xlsx> [--po PO-000001] [--vendor CODE] [--customer CODE]
  stemline-sheet confirm <staging.xlsx> [--preview]
  stemline-sheet pull invoices --out <file.xlsx> [--customer CODE] [--status PENDING] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull production --out <file.xlsx> [--run PR-000001] [--customer CODE] [--status OPEN]
  stemline-sheet pull price-lists --out <file.xlsx>
  stemline-sheet push price-lists <file.xlsx>
  stemline-sheet invoice <INV-000001> [INV-000002 ...] --out <file.xlsx>
  stemline-sheet invoice --truck-date <YYYY-MM-DD> --out <file.xlsx>
  stemline-sheet aging --as-of <YYYY-MM-DD> --out <file.xlsx> [--customer CODE]
  stemline-sheet availability --customer CODE --out <file.xlsx> [--on-hand-only]
${LABELS_USAGE}
${CREDIT_USAGE}
${STOCK_USAGE}
${STATEMENT_USAGE}

Dates of prebooks are truck dates, of purchase orders ship dates. A new prebook's truck date before the
company's today is refused unless the push has --allow-past; one more than a year ahead is saved with a
warning. Dates of credits are the days they were requested; a pushed credit is PENDING until a sales
manager approves it, and only a PENDING credit can be edited and pushed again. stemline-sheet credit
writes credit memos (CR-…) and, with a staff token, farm claim sheets (VC-…): vendor, PO, AWB, boxes,
units and the amounts claimed.
Dates of payments are the days the money was received; a pushed payment is recorded (POSTED) and never edited: rows of one payment
with an Invoice # and Applied apply it as the remittance says, a payment without them pays the oldest due
invoices first, and a pull shows each payment's applications and what is left unapplied. A pull into a workbook that already
has the table updates the pulled documents in place and keeps every other row; refresh pulls again only
the documents a push marked STALE. A workbook's table is found by its Excel table name (Excel,
LibreOffice and openpyxl workbooks alike) or a sheet of that name with the header in one of its first 20
rows; columns the tool writes into (Status, Message, the # column) are added when the sheet lacks them.
push and confirm also read a .csv file of the table's columns (comma or semicolon, UTF-8): the .csv is
left as it is and the results go to "<name> (results).xlsx" beside it. Other files (.xls, .ods, .xlsm)
are refused with exit code 2: save them as "Excel Workbook (.xlsx)" first.

Options: --server URL (or STEMLINE_SERVER; default: the server npm start runs here, https then http on localhost:$PORT or 4000),
  --token TOKEN (or STEMLINE_TOKEN; default: the first ADMIN token npm start keeps in $STEMLINE_DATA_DIR/admin-token, .data/admin-token).
Results are written back into the same workbook: Status and Message per row, and the # column. A workbook
open in Excel or LibreOffice (its lock file beside it) or that cannot be written is refused before anything
is sent: close it first. New documents get a hidden Document Id on their first push, so pushing the same
file again never saves them twice, while identical rows in another file are new documents.

Exit codes: 0 every row went through; 1 rows with errors, or the server could not be reached or refused
the token; 2 a wrong command, or a workbook that cannot be written (nothing was sent); 3 the server saved
the push but the workbook could not be saved afterwards: the results are in "<name> (results).xlsx" beside
it, and pushing the workbook again recognises the documents already saved.`;
