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
      label purchaseOrderNumber awb arrivalDate vendor { code } product { code } boxType { code } units received portOfOrigin landedUnitCost
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
    number status truckDate customerPo createdAt confirmedAt total pricePending
    customer { code name billingAddress paymentTermsDays } shipTo { code name address } carrier { code name }
    lines { lineNo product { code name unit } boxes units unitPrice amount }
    seller { name address phone taxId timeZone }
  }
}`;

export const INVOICE_DOCUMENTS = /* GraphQL */ `query InvoiceDocuments($filter: InvoiceFilter, $first: Int, $after: String) {
  invoices(filter: $filter, first: $first, after: $after) {
    nodes {
      number status truckDate customerPo createdAt confirmedAt total pricePending
      customer { code name billingAddress paymentTermsDays } shipTo { code name address } carrier { code name }
      lines { lineNo product { code name unit } boxes units unitPrice amount }
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
