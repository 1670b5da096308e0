import type { CellValue } from './tables';

/** What the Production table shows of a run (productionRuns). */
export interface ProductionRunSummary {
  number: string;
  status: string;
  productionCompany: { code: string };
  components: Array<{
    finishedProduct: { code: string };
    component: { code: string };
    required: string;
    transferred: number;
    short: string;
    over: string;
    transferredCost: string;
  }>;
  finishedUnitsOrdered: number;
  finishedUnitsReceived: number;
  finishedUnitsBilled: number;
  componentCost: string;
  estimatedUnitCost: string | null;
  actualUnitCost: string | null;
  estimatedGpmPercent: string | null;
  actualGpmPercent: string | null;
}

const decimal = (value: string | null) => (value === null ? null : Number(value));

/**
 * The Production table (standard column order): one row per component of each finished product, with its
 * Short/Over as transferred - required (negative: short), then the run's RUN TOTAL row in the same
 * columns for the finished goods: units ordered (Required), received (Transferred) and short or over,
 * the estimated against the actual unit cost and GPM, and the landed cost of all components.
 */
export function productionRows(run: ProductionRunSummary): CellValue[][] {
  const components = run.components.map((c) => [
    run.number,
    c.finishedProduct.code,
    c.component.code,
    decimal(c.required),
    c.transferred,
    Number(c.over) - Number(c.short),
    null,
    null,
    null,
    null,
    decimal(c.transferredCost),
  ]);
  const finished = [...new Set(run.components.map((c) => c.finishedProduct.code))].join(', ');
  const total = [
    run.number,
    finished,
    'RUN TOTAL',
    run.finishedUnitsOrdered,
    run.finishedUnitsReceived,
    run.finishedUnitsReceived - run.finishedUnitsOrdered,
    decimal(run.estimatedUnitCost),
    decimal(run.actualUnitCost),
    decimal(run.estimatedGpmPercent),
    decimal(run.actualGpmPercent),
    decimal(run.componentCost),
  ];
  return [...components, total];
}
