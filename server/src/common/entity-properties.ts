import { p } from '@mikro-orm/core';

/** Columns every master-data table has: surrogate id, unique code, name, timestamps. */
export function codedEntityProperties() {
  return {
    id: p.integer().primary(),
    code: p.string().length(40).unique(),
    name: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  };
}

/** Money and percentages: exact numeric in Postgres, strings in JavaScript. */
export const money = () => p.decimal('string').precision(14).scale(4);
export const percent = () => p.decimal('string').precision(7).scale(3);
