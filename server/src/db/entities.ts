import { ApiTokenSchema } from '../modules/auth/api-token.entity';
import { AuthFailureSchema } from '../modules/auth/auth-failure.entity';
import { AuditEventSchema } from '../modules/audit/audit-event.entity';
import { BoxTypeSchema } from '../modules/box-type/box-type.entity';
import { CarrierSchema } from '../modules/carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../modules/customer/customer.entity';
import { LocationSchema } from '../modules/location/location.entity';
import { ProductSchema } from '../modules/product/product.entity';
import { ProductCategorySchema } from '../modules/product/product-category.entity';
import { AwbCostSchema, CountExpectedBoxSchema, CountScanSchema, CountSchema, InventoryAdjustmentSchema } from '../modules/stock/stock.entity';
import { SettingsSchema } from '../modules/settings/settings.entity';
import { VendorSchema } from '../modules/vendor/vendor.entity';
import { IdempotencyRecordSchema } from '../modules/idempotency/idempotency-record.entity';
import { PrebookLineSchema, PrebookSchema } from '../modules/prebook/prebook.entity';
import { PurchaseOrderLineLinkSchema, PurchaseOrderLineSchema, PurchaseOrderSchema } from '../modules/purchase-order/purchase-order.entity';
import { StandingOrderLineSchema, StandingOrderSchema } from '../modules/prebook/standing-order.entity';
import { BoxDemandSchema, BoxSchema, ShipmentSchema } from '../modules/box/box.entity';
import { InvoiceLineBoxSchema, InvoiceLineSchema, InvoiceSchema } from '../modules/invoice/invoice.entity';
import { BillingIssueSchema, ShippingLabelSchema } from '../modules/billing/billing-issue.entity';
import {
  ProductionRunLineSchema,
  ProductionRunPurchaseOrderSchema,
  ProductionRunSchema,
  ProductionRunTransferSchema,
} from '../modules/production/production-run.entity';
import { ChangeEventSchema, ChangeFeedStateSchema } from '../modules/change/change-event.entity';
import { CreditLineSchema, CreditReasonSchema, CreditRestockSchema, CreditSchema } from '../modules/credit/credit.entity';
import { VendorCreditLineSchema, VendorCreditSchema } from '../modules/vendor-credit/vendor-credit.entity';
import { ChargeRateSchema, ChargeRuleSchema, InvoiceChargeSchema } from '../modules/charge/charge.entity';
import { PaymentApplicationSchema, PaymentSchema } from '../modules/payment/payment.entity';
import { JobRunSchema } from '../modules/jobs/job-run.entity';
import { CreditAttachmentSchema } from '../modules/credit-attachment/credit-attachment.entity';
import { PriceListCustomerSchema, PriceListPriceSchema, PriceListSchema, PriceSeasonSchema } from '../modules/price-list/price-list.entity';

export const entities = [
  LocationSchema,
  CarrierSchema,
  CustomerSchema,
  ShipToSchema,
  VendorSchema,
  BoxTypeSchema,
  ProductCategorySchema,
  ProductSchema,
  SettingsSchema,
  ApiTokenSchema,
  AuthFailureSchema,
  AuditEventSchema,
  IdempotencyRecordSchema,
  StandingOrderSchema,
  StandingOrderLineSchema,
  PrebookSchema,
  PrebookLineSchema,
  PurchaseOrderSchema,
  PurchaseOrderLineSchema,
  PurchaseOrderLineLinkSchema,
  ShipmentSchema,
  BoxSchema,
  BoxDemandSchema,
  InvoiceSchema,
  InvoiceLineSchema,
  InvoiceLineBoxSchema,
  BillingIssueSchema,
  ShippingLabelSchema,
  ChangeEventSchema,
  ChangeFeedStateSchema,
  ProductionRunSchema,
  ProductionRunLineSchema,
  ProductionRunTransferSchema,
  ProductionRunPurchaseOrderSchema,
  InventoryAdjustmentSchema,
  CountSchema,
  CountExpectedBoxSchema,
  CountScanSchema,
  CreditReasonSchema,
  CreditSchema,
  CreditLineSchema,
  JobRunSchema,
  CreditRestockSchema,
  VendorCreditSchema,
  VendorCreditLineSchema,
  CreditAttachmentSchema,
  ChargeRuleSchema,
  ChargeRateSchema,
  InvoiceChargeSchema,
  PaymentSchema,
  PaymentApplicationSchema,
  AwbCostSchema,
  PriceListSchema,
  PriceListCustomerSchema,
  PriceSeasonSchema,
  PriceListPriceSchema,
];
