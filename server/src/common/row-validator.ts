import { userError, type ErrorCode, type UserError } from './user-error';

/** Units on one line (boxes x units per box, or units): well inside a PostgreSQL integer. */
export const MAX_LINE_UNITS = 100_000_000;

export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9 _.\-/&#+]*$/;
export const MAX_CODE_LENGTH = 40;
export const MAX_NAME_LENGTH = 200;

/** Codes are trimmed and upper-cased: `rose-50` and `ROSE-50` are the same product. */
export function normalizeCode(value: string): string {
  return value.trim().toUpperCase();
}

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Collects the errors of one input item. Every check names the row and the
 * field so a sheet can put the message on the right cell.
 */
export class RowValidator {
  readonly errors: UserError[] = [];

  /** `row` is null when the input is a single object rather than a list. */
  constructor(
    readonly row: number | null,
    private readonly fieldPrefix = '',
    private readonly parent?: RowValidator,
    private readonly label = '',
  ) {}

  /**
   * A validator for a nested item: fields become `prefix.field` (lines.3.product)
   * and messages say `label` (line 3). Its errors are its own and also its parent's.
   */
  nested(prefix: string, label?: string): RowValidator {
    const labels = [this.label, label].filter(Boolean).join(', ');
    return new RowValidator(this.row, this.field(prefix), this, labels);
  }

  private record(error: UserError): void {
    this.errors.push(error);
    this.parent?.record(error);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  field(name: string): string {
    return this.fieldPrefix ? `${this.fieldPrefix}.${name}` : name;
  }

  fail(code: ErrorCode, field: string, message: string): undefined {
    const place = [this.row === null ? '' : `Row ${this.row}`, this.label].filter(Boolean).join(', ');
    const where = place ? `${place}: ` : '';
    this.record(userError(code, `${where}${message}`, this.row ?? undefined, this.field(field)));
    return undefined;
  }

  /** A present, non-blank code; returns it normalized. */
  code(field: string, value: string | null | undefined): string | undefined {
    const code = normalizeCode(value ?? '');
    if (!code) return this.fail('REQUIRED', field, `${field} is required`);
    if (code.length > MAX_CODE_LENGTH) return this.fail('INVALID_VALUE', field, `${field} "${code}" is longer than ${MAX_CODE_LENGTH} characters`);
    if (!CODE_PATTERN.test(code)) {
      return this.fail('INVALID_VALUE', field, `${field} "${code}" may only contain letters, digits, spaces and - _ . / & # +`);
    }
    return code;
  }

  /** Text: required when `required` or when given at all (an explicit empty value is an error). */
  text(field: string, value: string | null | undefined, options: { required: boolean; max?: number }): string | undefined {
    if (value === undefined && !options.required) return undefined;
    const text = (value ?? '').trim();
    if (!text) return this.fail('REQUIRED', field, `${field} is required`);
    const max = options.max ?? MAX_NAME_LENGTH;
    if (text.length > max) return this.fail('INVALID_VALUE', field, `${field} is longer than ${max} characters`);
    return text;
  }

  /** Optional free text: undefined keeps, null or blank clears to "" (or null with `nullable`). */
  optionalText(field: string, value: string | null | undefined, options: { max: number; nullable?: boolean }): string | null | undefined {
    if (value === undefined) return undefined;
    const text = (value ?? '').trim();
    if (text.length > options.max) return this.fail('INVALID_VALUE', field, `${field} is longer than ${options.max} characters`);
    if (!text) return options.nullable ? null : '';
    return text;
  }

  oneOf<T extends string>(field: string, value: string | null | undefined, allowed: readonly T[], options: { required: boolean }): T | undefined {
    if (value === undefined && !options.required) return undefined;
    const normalized = (value ?? '')
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, '_');
    if (!normalized) return this.fail('REQUIRED', field, `${field} is required (${allowed.join(', ')})`);
    if (!(allowed as readonly string[]).includes(normalized)) {
      return this.fail('INVALID_VALUE', field, `${field} "${value}" is not one of ${allowed.join(', ')}`);
    }
    return normalized as T;
  }

  integer(
    field: string,
    value: number | null | undefined,
    options: { required: boolean; min: number; max?: number; nullable?: boolean },
  ): number | null | undefined {
    if (value === undefined && !options.required) return undefined;
    if (value === null && options.nullable) return null;
    if (value === null || value === undefined) return this.fail('REQUIRED', field, `${field} is required`);
    const max = options.max ?? 1_000_000_000;
    if (!Number.isInteger(value) || value < options.min || value > max) {
      return this.fail('INVALID_VALUE', field, `${field} must be a whole number from ${options.min} to ${max}, got ${value}`);
    }
    return value;
  }

  /**
   * The units of `boxes` boxes of `unitsPerBox`, each already within its own limit: their product may
   * still not fit a line (nor a PostgreSQL integer), which is an error of `boxes`.
   */
  boxUnits(boxes: number, unitsPerBox: number, field = 'boxes'): number | undefined {
    const units = boxes * unitsPerBox;
    if (units > MAX_LINE_UNITS) {
      return this.fail(
        'INVALID_VALUE',
        field,
        `${boxes} boxes of ${unitsPerBox} are ${units} units; a line holds at most ${MAX_LINE_UNITS.toLocaleString('en-US')} units`,
      );
    }
    return units;
  }

  /** An exact decimal string within range and scale. */
  decimal(
    field: string,
    value: string | null | undefined,
    options: { required: boolean; min?: number; max?: number; maxScale: number; nullable?: boolean; exclusiveMin?: boolean },
  ): string | null | undefined {
    if (value === undefined && !options.required) return undefined;
    if (value === null && options.nullable) return null;
    if (value === null || value === undefined) return this.fail('REQUIRED', field, `${field} is required`);
    const match = DECIMAL_PATTERN.exec(value);
    if (!match) return this.fail('INVALID_VALUE', field, `${field} "${value}" is not a number`);
    if ((match[3] ?? '').length > options.maxScale) {
      return this.fail('INVALID_VALUE', field, `${field} ${value} has more than ${options.maxScale} decimal places`);
    }
    const numeric = Number(value);
    const below = options.min !== undefined && (options.exclusiveMin ? numeric <= options.min : numeric < options.min);
    if (below) {
      return this.fail('INVALID_VALUE', field, `${field} must be ${options.exclusiveMin ? 'greater than' : 'at least'} ${options.min}, got ${value}`);
    }
    if (options.max !== undefined && numeric > options.max) {
      return this.fail('INVALID_VALUE', field, `${field} must be at most ${options.max}, got ${value}`);
    }
    return value;
  }
}
