import type { GenModule } from './types';

/**
 * Gift packages (issue 5): 300,000 package units at scale 1 — drives, units, pledges,
 * allocations to cases, deliveries with their `programme_expense` postings.
 *
 * TODO (issue 8): the package tables are merged now: fill `tables` with the package tables' real names and
 * write `generate` in the style of giving.ts/cases.ts (INSERT … SELECT … FROM generate_series,
 * ids from `uid(ctx, 'package', 'i')`, cases from `uid(ctx, 'case', k)` with k ≤ ctx.n(50_000),
 * funds from `uid(ctx, 'cfund', k)`), respecting the schema's constraints and triggers. Until then
 * the runner records "skipped: generator not written yet".
 */
export const packagesModule: GenModule = {
  name: 'packages',
  tables: ['package_drives', 'package_units', 'package_types', 'package_deliveries'],
};
