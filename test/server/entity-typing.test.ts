// The entities are defineEntity schemas with InferEntity types: MikroORM checks populate hints, filters and
// em.create data against them at compile time (tsc --noEmit runs over test/ too). These lines are compiled,
// never run: each @ts-expect-error fails the type-check if MikroORM stopped catching that mistake.
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CarrierSchema } from '../../server/src/modules/carrier/carrier.entity';
import { PrebookLineSchema, PrebookSchema } from '../../server/src/modules/prebook/prebook.entity';
import { StandingOrderSchema, type Weekday } from '../../server/src/modules/prebook/standing-order.entity';

async function checked(em: EntityManager) {
  // @ts-expect-error a prebook line has no relation `vendr`
  await em.find(PrebookLineSchema, {}, { populate: ['vendr'] });
  // @ts-expect-error a prebook has no column `truckDay`
  await em.find(PrebookSchema, { truckDay: '2027-01-01' });
  // @ts-expect-error a new carrier needs its name
  em.create(CarrierSchema, { code: 'FEDEX' });
  // @ts-expect-error a standing order's truck days are MON ... SUN
  em.create(StandingOrderSchema, { number: 'SO-1', customer: 1, carrier: 1, startDate: '2027-01-01', weekdays: ['MONDAY'] });

  const line = await em.findOneOrFail(PrebookLineSchema, 1, { populate: ['prebook.customer', 'product'] });
  expectTypeOf(line.prebook.customer.code).toEqualTypeOf<string>();
  expectTypeOf(line.product.kind).toEqualTypeOf<'LIVE' | 'HARD' | 'FINISHED'>();
  const standingOrder = await em.findOneOrFail(StandingOrderSchema, 1);
  expectTypeOf(standingOrder.weekdays).toEqualTypeOf<Weekday[]>();
}

describe('entity typing', () => {
  it('is checked by the compiler (this file type-checks with its expected errors)', () => {
    expect(typeof checked).toBe('function');
  });
});
