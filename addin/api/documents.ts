// The GraphQL operations the add-in and the sheet tool send.

export const SAVE_PREBOOKS = /* GraphQL */ `mutation SavePrebooks($input: [PrebookInput!]!, $key: String, $dryRun: Boolean) {
  savePrebooks(input: $input, idempotencyKey: $key, dryRun: $dryRun) {
    results { index number version status }
    errors { code message row field }
    prebooks { number lineIds }
    replayed
  }
}`;

export const SAVE_PURCHASE_ORDERS = /* GraphQL */ `mutation SavePurchaseOrders($input: [PurchaseOrderInput!]!, $key: String, $dryRun: Boolean) {
  savePurchaseOrders(input: $input, idempotencyKey: $key, dryRun: $dryRun) {
    results { index number version status }
    errors { code message row field }
    replayed
  }
}`;

export const STAGING = /* GraphQL */ `query Staging($filter: StagingFilter, $first: Int, $after: String) {
  staging(filter: $filter, first: $first, after: $after) {
    nodes {
      label purchaseOrderNumber awb arrivalDate ageBand vendor { code } product { code } boxType { code } units received portOfOrigin landedUnitCost
      customer { code } demands { prebookNumber customer { code } }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const CONFIRM_STAGING = /* GraphQL */ `mutation ConfirmStaging($labels: [String!], $dryRun: Boolean, $key: String) {
  confirmStaging(input: { labels: $labels, dryRun: $dryRun }, idempotencyKey: $key) {
    results { label outcome code message billing { invoiceNumbers issue { code message } releasedUnits } box { status inventoryType customer { code } } }
    errors { code message }
    replayed
  }
}`;

export const INVOICES = /* GraphQL */ `query Invoices($filter: InvoiceFilter, $first: Int, $after: String) {
  invoices(filter: $filter, first: $first, after: $after) {
    nodes {
      number customer { code } shipTo { code } carrier { code } truckDate customerPo status pickTicketPrinted total cost gpmPercent
      lines { product { code } boxes units unitPrice priceSource amount unitCost gpmPercent }
      charges { description amount }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const PRODUCTION_RUNS = /* GraphQL */ `query ProductionRuns($filter: ProductionRunFilter, $first: Int, $after: String) {
  productionRuns(filter: $filter, first: $first, after: $after) {
    nodes {
      number status productionCompany { code }
      components { finishedProduct { code } component { code } required transferred short over transferredCost }
      finishedUnitsOrdered finishedUnitsReceived finishedUnitsBilled componentCost
      estimatedUnitCost actualUnitCost estimatedGpmPercent actualGpmPercent
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const MASTER_DATA = /* GraphQL */ `query MasterData {
  customers(first: 1000) { nodes { code name shipTos { code } } }
  carriers(first: 1000) { nodes { code } }
  products(first: 1000) { nodes { code } }
  vendors(first: 1000) { nodes { code } }
  boxTypes(first: 1000) { nodes { code } }
  locations(first: 1000) { nodes { code } }
}`;

export const PURCHASE_NEEDS = /* GraphQL */ `query PurchaseNeeds($filter: PurchaseNeedFilter, $first: Int, $after: String) {
  purchaseNeeds(filter: $filter, first: $first, after: $after) {
    nodes { prebookNumber product { code } sellBy boxType { code } unitsPerBox quantity vendor { code } vendorCost }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const INVOICE_DOCUMENT = /* GraphQL */ `query InvoiceDocument($number: String!) {
  invoice(number: $number) {
    number status truckDate customerPo createdAt confirmedAt total subtotal pricePending
    customer { code name billingAddress paymentTermsDays } shipTo { code name address } carrier { code name }
    lines: documentLines { lineNo product { code name unit } boxes units unitPrice amount }
    charges: documentCharges { description amount }
    seller { name address phone taxId timeZone }
  }
}`;

export const INVOICE_DOCUMENTS = /* GraphQL */ `query InvoiceDocuments($filter: InvoiceFilter, $first: Int, $after: String) {
  invoices(filter: $filter, first: $first, after: $after) {
    nodes {
      number status truckDate customerPo createdAt confirmedAt total subtotal pricePending
      customer { code name billingAddress paymentTermsDays } shipTo { code name address } carrier { code name }
      lines: documentLines { lineNo product { code name unit } boxes units unitPrice amount }
      charges: documentCharges { description amount }
      seller { name address phone taxId timeZone }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const PREBOOKS = /* GraphQL */ `query Prebooks($filter: PrebookFilter, $first: Int, $after: String) {
  prebooks(filter: $filter, first: $first, after: $after) {
    nodes {
      number version status customer { code } shipTo { code } carrier { code } truckDate customerPo holiday
      lines { id lineNo product { code } sellBy boxType { code } boxes unitsPerBox units price priceSource cost vendor { code } vendorCost }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const PURCHASE_ORDERS = /* GraphQL */ `query PurchaseOrders($filter: PurchaseOrderFilter, $first: Int, $after: String) {
  purchaseOrders(filter: $filter, first: $first, after: $after) {
    nodes {
      number version status vendor { code } customer { code } location { code } shipDate portOfOrigin
      lines { id lineNo product { code } boxType { code } boxes unitsPerBox unitCost prebookLinks { prebookNumber } }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const SHIP_PURCHASE_ORDER = /* GraphQL */ `mutation ShipPurchaseOrder($input: ShipPurchaseOrderInput!, $key: String) {
  shipPurchaseOrder(input: $input, idempotencyKey: $key) {
    shipment { awb boxCount }
    boxes { label product { code } }
    errors { code message row field }
    replayed
  }
}`;

/** What reading a sheet needs from the company's settings: how numbers typed as text are written, and its today. */
export const SHEET_SETTINGS = /* GraphQL */ `query SheetSettings {
  settings { decimalSeparator today }
}`;

export const PRICE_LISTS = /* GraphQL */ `query PriceLists($kind: PriceListKind) {
  priceLists(kind: $kind) {
    code
    prices { product { code } boxType { code } price }
    seasons { name from to prices { product { code } boxType { code } price } }
  }
}`;

export const SAVE_PRICE_LISTS = /* GraphQL */ `mutation SavePriceLists($input: [PriceListInput!]!) {
  savePriceLists(input: $input) {
    priceLists { code version }
    errors { code message row field }
  }
}`;

export const CREDIT_MEMO_DOCUMENT = /* GraphQL */ `query CreditMemoDocument($number: String!) {
  credit(number: $number) {
    number status date notes total
    reason { code name }
    customer { code name billingAddress }
    invoice { number customerPo createdAt confirmedAt }
    lines { lineNo kind units amountPerUnit amount invoiceLine { lineNo product { code name unit } } }
    seller { name address phone taxId timeZone }
  }
}`;
export const INVENTORY = /* GraphQL */ `query Inventory($filter: InventoryFilter, $first: Int, $after: String) {
  inventory(filter: $filter, first: $first, after: $after) {
    nodes {
      label product { code category { code } } boxType { code } unitsRemaining location { code } arrivalDate ageDays ageBand aged received
      inventoryType customer { code } landedUnitCost
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const SAVE_CREDITS = /* GraphQL */ `mutation SaveCredits($input: [CreditSheetInput!]!, $key: String, $dryRun: Boolean) {
  saveCredits(input: $input, idempotencyKey: $key, dryRun: $dryRun) {
    results { index number version status }
    errors { code message row field }
    replayed
  }
}`;

export const CREDITS = /* GraphQL */ `query Credits($filter: CreditFilter, $first: Int, $after: String) {
  credits(filter: $filter, first: $first, after: $after) {
    nodes {
      number version status customer { code } invoice { number } reason { code } notes rejectionReason voidReason approvedBy
      lines { lineNo kind invoiceLine { id product { code } } units amountPerUnit amount restock }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const AGE_BANDS = /* GraphQL */ `query AgeBands {
  settings { decimalSeparator today ageBands { name maxDays } }
}`;

export const ADJUST_INVENTORY = /* GraphQL */ `mutation AdjustInventory($input: [AdjustInventoryInput!]!, $key: String) {
  adjustInventory(input: $input, idempotencyKey: $key) {
    adjustments { label units value unitsRemaining boxStatus }
    errors { code message row field }
    replayed
  }
}`;

export const START_COUNT = /* GraphQL */ `mutation StartCount($location: String!) {
  startCount(location: $location) { count { number status location { code } expectedBoxes scannedLabels } errors { code message } }
}`;

export const COUNT_SCAN = /* GraphQL */ `mutation CountScan($count: String!, $labels: [String!]!) {
  countScan(count: $count, labels: $labels) { count { number status location { code } expectedBoxes scannedLabels } results { label outcome } errors { code message row } }
}`;

export const COUNT_REPORT = /* GraphQL */ `query CountReport($count: String!) {
  countReport(count: $count) {
    count { number status location { code } expectedBoxes scannedLabels }
    matched
    missing { label finding product { code } units invoiceNumber action }
    unexpected { label finding product { code } units invoiceNumber action }
  }
}`;

export const CLOSE_COUNT = /* GraphQL */ `mutation CloseCount($count: String!, $options: CloseCountInput) {
  closeCount(count: $count, options: $options) { count { number status location { code } expectedBoxes scannedLabels } adjustments { label units value reason } errors { code message } }
}`;
export const APPROVE_CREDIT = /* GraphQL */ `mutation ApproveCredit($number: String!, $key: String) {
  approveCredit(number: $number, idempotencyKey: $key) {
    credit { number status version }
    errors { code message }
  }
}`;

export const REJECT_CREDIT = /* GraphQL */ `mutation RejectCredit($number: String!, $reason: String!, $key: String) {
  rejectCredit(number: $number, reason: $reason, idempotencyKey: $key) {
    credit { number status version }
    errors { code message }
  }
}`;

export const RECEIVABLES_AGING = /* GraphQL */ `query ReceivablesAging($asOf: Date!, $customer: String) {
  receivablesAging(asOf: $asOf, customer: $customer) {
    asOf
    customers { customer { code name } current days1To30 days31To60 days61To90 days91To120 over120 total unapplied }
    totals { current days1To30 days31To60 days61To90 days91To120 over120 total unapplied }
  }
}`;

export const AVAILABILITY_DOCUMENT = /* GraphQL */ `query AvailabilityDocument($customer: String, $onHandOnly: Boolean) {
  availability(customer: $customer, onHandOnly: $onHandOnly) {
    customer { code name } asOf onHandOnly
    seller { name address phone }
    lines { product { code name unit } boxType onHandBoxes onHandUnits inTransit { arrivalDate boxes units } unitPrice priceSource priceSeason }
  }
}`;

export const STATEMENT_DOCUMENT = /* GraphQL */ `query StatementDocument($customer: String!, $from: Date, $to: Date!, $type: StatementType) {
  statement(customer: $customer, from: $from, to: $to, type: $type) {
    type from to openingBalance charges credits closingBalance
    customer { code name billingAddress paymentTermsDays }
    seller { name address phone taxId timeZone }
    lines { kind date number description dueDate amount openAmount balance }
    aging { current days1To30 days31To60 days61To90 days91To120 over120 total unapplied priorBalance balance }
  }
}`;

export const SAVE_PAYMENTS = /* GraphQL */ `mutation SavePayments($input: [PaymentSheetInput!]!, $key: String, $dryRun: Boolean) {
  savePayments(input: $input, idempotencyKey: $key, dryRun: $dryRun) {
    results { index number version status }
    errors { code message row field }
    replayed
  }
}`;

export const PAYMENTS = /* GraphQL */ `query Payments($filter: PaymentFilter, $first: Int, $after: String) {
  payments(filter: $filter, first: $first, after: $after) {
    nodes {
      number version status customer { code } date amount method reference voidReason unappliedAmount
      applications { invoice { number } amount credit }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

export const FARM_CLAIM_DOCUMENT = /* GraphQL */ `query FarmClaimDocument($number: String!) {
  vendorCredit(number: $number) {
    number status createdAt notes total
    vendor { code name }
    reason { code name }
    sourceCredit { number }
    lines {
      lineNo boxLabel units productAmount freightAmount dutyAmount handlingAmount amount
      box { purchaseOrderNumber awb product { code name unit } }
      purchaseOrderLine { lineNo product { code name unit } }
    }
  }
  settings { companyName companyAddress companyPhone timeZone }
}`;
