import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { loadTypeDefs } from '../../../server/src/app';
import { operationRoles } from '../../../server/src/common/authorization';
import { ROLES, type Role } from '../../../server/src/common/request-context';
import { startTestServer, type TestServer } from '../../support/test-server';

/** A minimal call of every root field; a field without one fails the test. */
const sampleOperations: Record<string, string> = {
  me: `{ me { role } }`,
  customers: `{ customers { totalCount } }`,
  vendors: `{ vendors { totalCount } }`,
  products: `{ products { totalCount } }`,
  boxTypes: `{ boxTypes { totalCount } }`,
  locations: `{ locations { totalCount } }`,
  carriers: `{ carriers { totalCount } }`,
  settings: `{ settings { autoBilling } }`,
  apiTokens: `{ apiTokens { totalCount } }`,
  auditEvents: `{ auditEvents { totalCount } }`,
  upsertCustomers: `mutation { upsertCustomers(input: []) { errors { code } } }`,
  upsertShipTos: `mutation { upsertShipTos(input: []) { errors { code } } }`,
  upsertVendors: `mutation { upsertVendors(input: []) { errors { code } } }`,
  upsertProducts: `mutation { upsertProducts(input: []) { errors { code } } }`,
  upsertLocations: `mutation { upsertLocations(input: []) { errors { code } } }`,
  upsertCarriers: `mutation { upsertCarriers(input: []) { errors { code } } }`,
  upsertBoxTypes: `mutation { upsertBoxTypes(input: []) { errors { code } } }`,
  updateSettings: `mutation { updateSettings(input: {}) { errors { code } } }`,
  createApiToken: `mutation { createApiToken(input: { name: "", role: "" }) { errors { code } } }`,
  revokeApiToken: `mutation { revokeApiToken(id: "0") { errors { code } } }`,
  prebooks: `{ prebooks { totalCount } }`,
  savePrebooks: `mutation { savePrebooks(input: []) { errors { code } } }`,
  cancelPrebook: `mutation { cancelPrebook(number: "PB-0") { errors { code } } }`,
  closePrebook: `mutation { closePrebook(number: "PB-0") { errors { code } } }`,
  reopenPrebook: `mutation { reopenPrebook(number: "PB-0") { errors { code } } }`,
  setUnableToSource: `mutation { setUnableToSource(prebookLineIds: []) { errors { code } } }`,
  purchaseOrders: `{ purchaseOrders { totalCount } }`,
  purchaseNeeds: `{ purchaseNeeds { totalCount } }`,
  savePurchaseOrders: `mutation { savePurchaseOrders(input: []) { errors { code } } }`,
  createPurchaseOrdersFromPrebooks: `mutation { createPurchaseOrdersFromPrebooks(input: { location: "X", prebookLines: [] }) { errors { code } } }`,
  confirmPurchaseOrder: `mutation { confirmPurchaseOrder(number: "PO-0") { errors { code } } }`,
  cancelPurchaseOrder: `mutation { cancelPurchaseOrder(number: "PO-0") { errors { code } } }`,
  standingOrders: `{ standingOrders { totalCount } }`,
  saveStandingOrder: `mutation { saveStandingOrder(input: { customer: "", carrier: "", weekdays: [], startDate: "", lines: [] }) { errors { code } } }`,
  generateStandingOrderPrebooks: `mutation { generateStandingOrderPrebooks(from: "2030-01-01", to: "2030-01-02") { errors { code } } }`,
  staging: `{ staging { totalCount } }`,
  inventory: `{ inventory { totalCount } }`,
  box: `{ box(label: "X") { label } }`,
  invoices: `{ invoices { totalCount } }`,
  invoice: `{ invoice(number: "INV-0") { number } }`,
  prebook: `{ prebook(number: "PB-0") { number } }`,
  prebookLine: `{ prebookLine(id: "0") { id } }`,
  purchaseOrder: `{ purchaseOrder(number: "PO-0") { number } }`,
  standingOrder: `{ standingOrder(id: "0") { number } }`,
  shipPurchaseOrder: `mutation { shipPurchaseOrder(input: { purchaseOrder: "PO-0", lines: [] }) { errors { code } } }`,
  scanBoxes: `mutation { scanBoxes(labels: [], kind: INBOUND) { results { label } } }`,
  confirmStaging: `mutation { confirmStaging(input: { labels: ["X"] }) { errors { code } } }`,
  createInvoice: `mutation { createInvoice(input: { customer: "", truckDate: "", lines: [] }) { errors { code } } }`,
  setInvoicePrices: `mutation { setInvoicePrices(number: "INV-0", prices: []) { errors { code } } }`,
  confirmInvoice: `mutation { confirmInvoice(number: "INV-0") { errors { code } } }`,
  printPickTicket: `mutation { printPickTicket(number: "INV-0") { errors { code } } }`,
  voidInvoice: `mutation { voidInvoice(number: "INV-0") { errors { code } } }`,
  mergeInvoices: `mutation { mergeInvoices(target: "INV-0", sources: ["INV-1"]) { errors { code } } }`,
  billingIssues: `{ billingIssues { totalCount } }`,
  gpmReport: `{ gpmReport { revenue } }`,
  changes: `{ changes(first: 1) { pageInfo { endCursor } } }`,
  jobs: `{ jobs { name lastRun { state } } }`,
  allocate: `mutation { allocate(prebookLine: "0", labels: []) { errors { code } } }`,
  massAllocate: `mutation { massAllocate(filter: { customer: "C1" }, dryRun: true) { errors { code } } }`,
  fillFromOpenMarket: `mutation { fillFromOpenMarket(prebookLines: []) { errors { code } } }`,
  unallocate: `mutation { unallocate(invoiceLine: "0") { errors { code } } }`,
  productionRuns: `{ productionRuns { totalCount } }`,
  componentNeeds: `{ componentNeeds { totalCount } }`,
  saveProductionRun: `mutation { saveProductionRun(input: { number: "PR-0" }) { errors { code } } }`,
  createComponentPurchaseOrders: `mutation { createComponentPurchaseOrders(input: { productionRun: "PR-0", components: [] }) { errors { code } } }`,
  transferComponents: `mutation { transferComponents(productionRun: "PR-0", labels: []) { errors { code } } }`,
  productCategories: `{ productCategories { totalCount } }`,
  upsertProductCategories: `mutation { upsertProductCategories(input: []) { errors { code } } }`,
  agedStock: `{ agedStock { totalCount } }`,
  inventoryAdjustments: `{ inventoryAdjustments { totalCount } }`,
  adjustInventory: `mutation { adjustInventory(input: []) { errors { code } } }`,
  startCount: `mutation { startCount(location: "X") { errors { code } } }`,
  countScan: `mutation { countScan(count: "CNT-0", labels: []) { errors { code } } }`,
  countReport: `{ countReport(count: "CNT-0") { matched } }`,
  closeCount: `mutation { closeCount(count: "CNT-0") { errors { code } } }`,
  shrinkReport: `{ shrinkReport(from: "2030-01-01", to: "2030-01-31") { marginAfterLosses } }`,
  creditReasons: `{ creditReasons { totalCount } }`,
  credits: `{ credits { totalCount } }`,
  credit: `{ credit(number: "CR-0") { number } }`,
  upsertCreditReasons: `mutation { upsertCreditReasons(input: []) { errors { code } } }`,
  requestCredit: `mutation { requestCredit(input: { customer: "C1", lines: [] }) { errors { code } } }`,
  updateCredit: `mutation { updateCredit(number: "CR-0", input: {}) { errors { code } } }`,
  approveCredit: `mutation { approveCredit(number: "CR-0") { errors { code } } }`,
  rejectCredit: `mutation { rejectCredit(number: "CR-0", reason: "x") { errors { code } } }`,
  voidCredit: `mutation { voidCredit(number: "CR-0", reason: "x") { errors { code } } }`,
  vendorCredits: `{ vendorCredits { totalCount } }`,
  vendorCredit: `{ vendorCredit(number: "VC-0") { number } }`,
  suggestVendorCredit: `{ suggestVendorCredit(input: {}) { errors { code } } }`,
  saveVendorCredit: `mutation { saveVendorCredit(input: { number: "VC-0" }) { errors { code } } }`,
  setVendorCreditStatus: `mutation { setVendorCreditStatus(number: "VC-0", status: SENT) { errors { code } } }`,
  saveCredits: `mutation { saveCredits(input: []) { errors { code } } }`,
  savePayments: `mutation { savePayments(input: []) { errors { code } } }`,
  chargeRules: `{ chargeRules { totalCount } }`,
  saveChargeRules: `mutation { saveChargeRules(input: []) { errors { code } } }`,
  setInvoiceCharge: `mutation { setInvoiceCharge(input: { invoice: "INV-0", rule: "X" }) { errors { code } } }`,
  payments: `{ payments { totalCount } }`,
  receivablesAging: `{ receivablesAging(asOf: "2030-01-31") { asOf } }`,
  recordPayment: `mutation { recordPayment(input: { customer: "C0", amount: "1", method: CHECK }) { errors { code } } }`,
  applyCredit: `mutation { applyCredit(input: { source: "PMT-0" }) { errors { code } } }`,
  voidPayment: `mutation { voidPayment(number: "PMT-0", reason: "x") { errors { code } } }`,
  applyFinanceCharges: `mutation { applyFinanceCharges(asOf: "2030-01-31", dryRun: true) { errors { code } } }`,
  shipmentCosts: `{ shipmentCosts(awb: "AWB-0") { awb } }`,
  availability: `{ availability { asOf } }`,
  recordShipmentCosts: `mutation { recordShipmentCosts(awb: "AWB-0", input: {}) { errors { code } } }`,
  priceLists: `{ priceLists { code } }`,
  priceList: `{ priceList(code: "PL-0") { code } }`,
  priceFor: `{ priceFor(customer: "C1", product: "TULIP-RED", date: "2030-02-10") { price source } }`,
  savePriceLists: `mutation { savePriceLists(input: []) { errors { code } } }`,
  copyPriceList: `mutation { copyPriceList(from: "PL-0", code: "PL-1", percent: "10", rounding: CENT) { errors { code } } }`,
  copyPriceSeason: `mutation { copyPriceSeason(priceList: "PL-0", name: "V", from: "2030-02-01", to: "2030-02-14", percent: "30", rounding: FIVE_CENTS) { errors { code } } }`,
  applyPriceLists: `mutation { applyPriceLists(dryRun: true) { stillPending } }`,
  statement: `{ statement(customer: "C1", from: "2030-01-01", to: "2030-01-31") { closingBalance } }`,
};

describe('authorization matrix', () => {
  let t: TestServer;
  const tokens = {} as Record<Role, string>;
  let revokedToken: string;

  beforeAll(async () => {
    t = await startTestServer();
    await t.ok(`mutation { upsertCustomers(input: [{ code: "C1", name: "Customer one" }]) { errors { code } } }`);
    await t.ok(
      `mutation { upsertProducts(input: [{ code: "TULIP-RED", name: "Tulip red", kind: "LIVE", unit: "STEM", defaultBoxType: "QB", defaultUnitsPerBox: 50 }]) { errors { code } } }`,
    );
    for (const role of ROLES) {
      const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret errors { message } } }`, {
        input: { name: `${role} token`, role, customer: role === 'CUSTOMER' ? 'C1' : null },
      });
      tokens[role] = data.createApiToken.secret;
    }
    const revoked = await t.ok(`mutation { createApiToken(input: { name: "old", role: "ADMIN" }) { secret token { id } } }`);
    revokedToken = revoked.createApiToken.secret;
    await t.ok(`mutation($id: ID!) { revokeApiToken(id: $id) { errors { code } } }`, { id: revoked.createApiToken.token.id });
  });
  afterAll(() => t.close());

  it('has a policy and a sample call for every root field of the schema', () => {
    const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
    const fields = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())].sort();
    expect(Object.keys(sampleOperations).sort()).toEqual(fields);
    expect([...Object.keys(operationRoles.Query), ...Object.keys(operationRoles.Mutation)].sort()).toEqual(fields);
  });

  it('lets each role call exactly the operations its policy allows', async () => {
    const policy = { ...operationRoles.Query, ...operationRoles.Mutation };
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [field, document] of Object.entries(sampleOperations)) {
      for (const role of ROLES) {
        const result = await t.gql(document, undefined, tokens[role]);
        const forbidden = result.errors?.some((e) => e.extensions?.code === 'FORBIDDEN') ?? false;
        if (!forbidden) expect(result.errors, `${role} ${field}`).toBeUndefined();
        outcomes.push(`${field}:${role}:${forbidden ? 'denied' : 'allowed'}`);
        expected.push(`${field}:${role}:${policy[field].includes(role) ? 'allowed' : 'denied'}`);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('refuses every operation without a token or with a revoked one', async () => {
    for (const document of Object.values(sampleOperations)) {
      for (const token of [null, revokedToken]) {
        const result = await t.gql(document, undefined, token);
        expect(result.status).toBe(401);
        expect(result.data).toBeUndefined();
      }
    }
  });

  it('keeps master-data writes to ADMIN, with products and vendors also open to BUYER', () => {
    expect(operationRoles.Mutation.upsertCustomers).toEqual(['ADMIN']);
    expect(operationRoles.Mutation.updateSettings).toEqual(['ADMIN']);
    expect([...operationRoles.Mutation.upsertProducts].sort()).toEqual(['ADMIN', 'BUYER']);
    expect([...operationRoles.Mutation.upsertVendors].sort()).toEqual(['ADMIN', 'BUYER']);
  });

  it('gives SALES_MANAGER what SALES may do plus credit approvals, and ACCOUNTING reads without sales or warehouse changes', () => {
    const mutations = Object.entries(operationRoles.Mutation);
    // Farm claims and receivables are accounting's work: the only writes ACCOUNTING has.
    const accounting = ['saveVendorCredit', 'setVendorCreditStatus', 'recordPayment', 'applyCredit', 'voidPayment', 'applyFinanceCharges', 'savePayments'];
    for (const [field, roles] of mutations) {
      if (roles.includes('SALES')) expect(roles, field).toContain('SALES_MANAGER');
      if (!accounting.includes(field)) expect(roles, field).not.toContain('ACCOUNTING');
    }
    for (const field of ['approveCredit', 'rejectCredit', 'voidCredit']) expect([...operationRoles.Mutation[field]].sort()).toEqual(['ADMIN', 'SALES_MANAGER']);
    for (const field of ['invoices', 'invoice', 'customers', 'gpmReport', 'credits', 'credit'])
      expect(operationRoles.Query[field], field).toContain('ACCOUNTING');
    expect([...operationRoles.Mutation.requestCredit].sort()).toEqual(['ADMIN', 'BUYER', 'CUSTOMER', 'SALES', 'SALES_MANAGER']);
  });

  it('keeps farm claims to SALES_MANAGER, ACCOUNTING and ADMIN, read by SALES too, never a CUSTOMER', () => {
    for (const field of ['saveVendorCredit', 'setVendorCreditStatus'])
      expect([...operationRoles.Mutation[field]].sort()).toEqual(['ACCOUNTING', 'ADMIN', 'SALES_MANAGER']);
    expect([...operationRoles.Query.suggestVendorCredit].sort()).toEqual(['ACCOUNTING', 'ADMIN', 'SALES_MANAGER']);
    for (const field of ['vendorCredits', 'vendorCredit'])
      expect([...operationRoles.Query[field]].sort()).toEqual(['ACCOUNTING', 'ADMIN', 'SALES', 'SALES_MANAGER']);
  });

  it('keeps charge rules to SALES_MANAGER and ADMIN, and a charge set by hand to sellers (never a CUSTOMER)', () => {
    expect([...operationRoles.Mutation.saveChargeRules].sort()).toEqual(['ADMIN', 'SALES_MANAGER']);
    expect([...operationRoles.Mutation.setInvoiceCharge].sort()).toEqual(['ADMIN', 'SALES', 'SALES_MANAGER']);
    expect(operationRoles.Query.chargeRules).not.toContain('CUSTOMER');
  });

  it('lets ACCOUNTING (and ADMIN) record, apply and void payments and charge finance charges; BUYER and WAREHOUSE cannot; a CUSTOMER reads payments only', () => {
    for (const field of ['recordPayment', 'applyCredit', 'voidPayment', 'applyFinanceCharges', 'savePayments']) {
      expect([...operationRoles.Mutation[field]].sort(), field).toEqual(['ACCOUNTING', 'ADMIN']);
    }
    expect(operationRoles.Query.payments).toContain('CUSTOMER');
    expect(operationRoles.Query.receivablesAging).not.toContain('CUSTOMER');
  });

  it('lets ACCOUNTING, SALES, SALES_MANAGER and ADMIN read statements, and a CUSTOMER its own; BUYER and WAREHOUSE cannot', () => {
    expect([...operationRoles.Query.statement].sort()).toEqual(['ACCOUNTING', 'ADMIN', 'CUSTOMER', 'SALES', 'SALES_MANAGER']);
  });

  it('lets SALES_MANAGER and ADMIN write price lists, sellers and buyers read them, and a CUSTOMER read its own prices', () => {
    for (const field of ['savePriceLists', 'copyPriceList', 'copyPriceSeason', 'applyPriceLists'])
      expect([...operationRoles.Mutation[field]].sort(), field).toEqual(['ADMIN', 'SALES_MANAGER']);
    for (const field of ['priceLists', 'priceList', 'priceFor'])
      expect([...operationRoles.Query[field]].sort(), field).toEqual(['ADMIN', 'BUYER', 'CUSTOMER', 'SALES', 'SALES_MANAGER']);
  });
});
