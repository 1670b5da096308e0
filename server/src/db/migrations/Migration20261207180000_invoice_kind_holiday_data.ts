import { Migration } from '@mikro-orm/migrations';

// Hand-written, data only. Invoices to a production company were all made transfers: one with a price (or a
// price pending) that no production run holds is a sale, and now counts in gpmReport. An invoice of unit
// lines only (no box item: in_transit null) is flagged holiday by its items in boxes only, so it is not.
export class Migration20261207180000_invoice_kind_holiday_data extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `update "invoice" i set "kind" = 'SALE'
        where i."kind" = 'TRANSFER'
          and not exists (select 1 from "production_run_transfer" t where t."invoice_id" = i."id")
          and exists (select 1 from "invoice_line" l where l."invoice_id" = i."id" and (l."unit_price" is null or l."unit_price" <> 0));`,
    );
    this.addSql(`update "invoice" set "holiday" = false where "holiday" and "in_transit" is null and "source" <> 'MANUAL';`);
  }

  override async down(): Promise<void> {
    // Nothing to undo: the kinds and flags set are those the current rules give.
  }
}
