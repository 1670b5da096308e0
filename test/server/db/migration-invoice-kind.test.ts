// The data migration of invoice kinds and holiday flags: a priced invoice to a production company that no
// run holds becomes a sale; a 0.00 one and a run's transfer stay transfers; an invoice of unit lines only is
// not flagged holiday.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../../server/src/db/orm';
import { createTestDatabase } from '../../support/test-server';

const MIGRATION = 'Migration20261207180000_invoice_kind_holiday_data';

describe('migration of invoice kinds and holiday flags', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await initOrm(await createTestDatabase());
  });
  afterAll(() => orm.close());

  it('makes priced invoices to a production company sales, keeps 0.00 ones and runs’ transfers, and unflags invoices of unit lines', async () => {
    const migrator = orm.getMigrator();
    const executed = (await migrator.getExecutedMigrations()).map((m) => m.name);
    await migrator.down({ to: executed[executed.indexOf(MIGRATION) - 1] });
    const db = orm.em.getConnection();
    const now = `'2027-01-01T00:00:00Z'`;
    await db.execute(`insert into box_type (code, name, fbe, created_at, updated_at) values ('ZQ', 'Quarter', 0.25, ${now}, ${now})`);
    await db.execute(
      `insert into product (code, name, kind, unit, default_box_type_id, default_units_per_box, created_at, updated_at)
       select 'ZROSE', 'Rose', 'LIVE', 'STEM', id, 100, ${now}, ${now} from box_type where code = 'ZQ'`,
    );
    await db.execute(
      `insert into customer (code, name, kind, created_at, updated_at) values ('ZWORKS', 'Works', 'PRODUCTION', ${now}, ${now}), ('ZSHOP', 'Shop', 'REGULAR', ${now}, ${now})`,
    );
    const invoice = async (
      number: string,
      customer: string,
      kind: string,
      prices: Array<string | null>,
      extra: { holiday?: boolean; inTransit?: boolean | null; source?: string } = {},
    ) => {
      const [row] = await db.execute<{ id: number }[]>(
        `insert into invoice (number, customer_id, truck_date, status, source, kind, invoice_date, holiday, in_transit, version, created_at, updated_at)
         select ?, id, '2027-01-02', 'PENDING', ?, ?, '2027-01-01', ?, ?, 1, ${now}, ${now} from customer where code = ? returning id`,
        [number, extra.source ?? 'MANUAL', kind, extra.holiday ?? false, extra.inTransit === undefined ? false : extra.inTransit, customer],
      );
      let lineNo = 0;
      for (const price of prices)
        await db.execute(
          `insert into invoice_line (invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, inventory_type)
           select ?, ?, id, 1, 100, ?, 0.30, 'M' from product where code = 'ZROSE'`,
          [row.id, ++lineNo, price],
        );
      return Number(row.id);
    };
    await invoice('ZINV-1', 'ZWORKS', 'TRANSFER', ['5.00']);
    await invoice('ZINV-2', 'ZWORKS', 'TRANSFER', ['0.00', '0']);
    await invoice('ZINV-3', 'ZWORKS', 'TRANSFER', ['0.00', null]);
    const ofRun = await invoice('ZINV-4', 'ZWORKS', 'TRANSFER', ['1.00']);
    await db.execute(
      `insert into production_run (number, production_company_id, status, version, created_at, updated_at) select 'ZPR-1', id, 'OPEN', 1, ${now}, ${now} from customer where code = 'ZWORKS'`,
    );
    await db.execute(`insert into production_run_transfer (production_run_id, invoice_id) select id, ? from production_run where number = 'ZPR-1'`, [ofRun]);
    await invoice('ZINV-5', 'ZSHOP', 'SALE', ['1.00'], { holiday: true, inTransit: null, source: 'AUTO_BILLING' });
    await invoice('ZINV-6', 'ZSHOP', 'SALE', ['1.00'], { holiday: true, inTransit: false, source: 'AUTO_BILLING' });

    await migrator.up();
    const rows = await db.execute<{ number: string; kind: string; holiday: boolean }[]>(
      `select number, kind, holiday from invoice where number like 'ZINV-%' order by number`,
    );
    expect(rows).toEqual([
      { number: 'ZINV-1', kind: 'SALE', holiday: false },
      { number: 'ZINV-2', kind: 'TRANSFER', holiday: false },
      { number: 'ZINV-3', kind: 'SALE', holiday: false },
      { number: 'ZINV-4', kind: 'TRANSFER', holiday: false },
      { number: 'ZINV-5', kind: 'SALE', holiday: false },
      { number: 'ZINV-6', kind: 'SALE', holiday: true },
    ]);
    expect(await migrator.getPendingMigrations()).toEqual([]);
  });
});
