import type { TestServer } from './test-server';

/** A small wholesale catalogue: enough master data for documents. */
export async function seedCatalogue(t: TestServer): Promise<void> {
  await t.ok(`mutation {
    c: upsertCustomers(input: [
      { code: "FRESHMART", name: "FreshMart Supermarkets", shipTos: [{ code: "DC-ATL", name: "Atlanta DC" }, { code: "DC-ORL", name: "Orlando DC" }] }
      { code: "BLOOMS", name: "Blooms Florist" }
      { code: "HOLDCO", name: "Held customer", creditHold: true }
      { code: "BOUQUETWORKS", name: "Bouquet Works (production)" }
    ]) { errors { message } }
    k: upsertCarriers(input: [{ code: "ARMELLINI", name: "Armellini" }, { code: "FEDEX", name: "FedEx" }]) { errors { message } }
    l: upsertLocations(input: [{ code: "MIA", name: "Miami" }, { code: "NYC", name: "New York" }]) { errors { message } }
    v: upsertVendors(input: [
      { code: "ROSAS", name: "Rosas de la Sabana", kind: "FARM", defaultPortOfOrigin: "BOG" }
      { code: "FLORES-EC", name: "Flores del Ecuador", kind: "FARM", defaultPortOfOrigin: "UIO" }
      { code: "VASECO", name: "VaseCo", kind: "HARD_GOODS", defaultPortOfOrigin: "MIA" }
      { code: "BOUQUETWORKS", name: "Bouquet Works", kind: "PRODUCTION", defaultPortOfOrigin: "MIA" }
    ]) { errors { message } }
    p: upsertProducts(input: [
      { code: "ROSE-FREEDOM-50", name: "Rose Freedom 50cm", kind: "LIVE", unit: "STEM", defaultBoxType: "QB", defaultUnitsPerBox: 100 }
      { code: "CARN-WHITE", name: "Carnation white fancy", kind: "LIVE", unit: "STEM", defaultBoxType: "HB", defaultUnitsPerBox: 500 }
      { code: "VASE-20", name: "Glass vase 20cm", kind: "HARD", unit: "EACH", defaultBoxType: "FB", defaultUnitsPerBox: 12 }
      { code: "BQT-SPRING", name: "Spring bouquet", kind: "FINISHED", unit: "EACH", defaultBoxType: "FB", defaultUnitsPerBox: 8 }
    ]) { errors { message } }
  }`);
}
