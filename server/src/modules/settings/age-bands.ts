// The settings' age bands (docs/maintainers.md#age-and-rotation): pure checks, no database.
import type { AgeBand } from './settings.entity';

/** Why a list of age bands cannot be kept, or null: names given and distinct, maxDays increasing, only the last open. */
export function ageBandsProblem(bands: readonly AgeBand[]): string | null {
  if (bands.length === 0 || bands.length > 10) return 'give from 1 to 10 age bands';
  const names = new Set<string>();
  for (const [index, band] of bands.entries()) {
    const name = band.name.trim();
    if (!name || name.length > 20) return `band ${index + 1} needs a name of 1 to 20 characters`;
    if (names.has(name)) return `the name ${name} is used twice`;
    names.add(name);
    const last = index === bands.length - 1;
    if (band.maxDays === null && !last) return `only the last band may have no maxDays (band ${index + 1}, ${name}, has none)`;
    if (band.maxDays !== null && (!Number.isInteger(band.maxDays) || band.maxDays < 0 || band.maxDays > 3650))
      return `maxDays of ${name} must be a whole number of days from 0 to 3650`;
    const previous = bands[index - 1]?.maxDays;
    if (band.maxDays !== null && previous != null && band.maxDays <= previous)
      return `maxDays must grow from band to band (${name} has ${band.maxDays} after ${previous})`;
  }
  return null;
}
