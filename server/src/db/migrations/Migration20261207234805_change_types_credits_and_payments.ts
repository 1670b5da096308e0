import { Migration } from '@mikro-orm/migrations';

// The change feed carries credits and farm claims (CREDIT, VENDOR_CREDIT) and payments (PAYMENT), added
// side by side: the type check allows the three.

export class Migration20261207234805_change_types_credits_and_payments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "change_event" drop constraint if exists "change_event_type_check";`);

    this.addSql(
      `alter table "change_event" add constraint "change_event_type_check" check("type" in ('INVOICE', 'PREBOOK', 'PURCHASE_ORDER', 'STANDING_ORDER', 'BOX', 'CUSTOMER', 'VENDOR', 'PRODUCT', 'CREDIT', 'VENDOR_CREDIT', 'PAYMENT'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "change_event" drop constraint if exists "change_event_type_check";`);

    this.addSql(
      `alter table "change_event" add constraint "change_event_type_check" check("type" in ('INVOICE', 'PREBOOK', 'PURCHASE_ORDER', 'STANDING_ORDER', 'BOX', 'CUSTOMER', 'VENDOR', 'PRODUCT', 'PAYMENT'));`,
    );
  }
}
