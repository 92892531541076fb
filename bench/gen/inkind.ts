import type { GenModule } from './types';

/**
 * In-kind goods (issue 6): 100,000 movements at scale 1 — donated goods received, stored,
 * handed out, with their `in_kind_*` ledger postings at value.
 *
 * TODO (issue 8): the in-kind tables are merged now (inkind_items, stock_movements, stock_balances): fill `tables` with the in-kind tables' real names and
 * write `generate` like giving.ts/cases.ts (set-based, deterministic ids via `uid`, movements
 * append-only and stock never negative: generate receipts before issues per item and check
 * with one set-based query). Until then the runner records "skipped: generator not written yet".
 */
export const inkindModule: GenModule = {
  name: 'inkind',
  tables: ['inkind_items', 'stock_movements', 'stock_balances'],
};
