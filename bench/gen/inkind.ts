import type { GenModule } from './types';

/**
 * In-kind goods (issue 6): 100,000 movements at scale 1 — donated goods received, stored,
 * handed out, with their `in_kind_*` ledger postings at value.
 *
 * TODO(lead, after merging issue 6): fill `tables` with the in-kind tables' real names and
 * write `generate` like giving.ts/cases.ts (set-based, deterministic ids via `uid`, movements
 * append-only and stock never negative: generate receipts before issues per item and check
 * with one set-based query). Until then the runner records "skipped: tables not present".
 */
export const inkindModule: GenModule = {
  name: 'inkind',
  tables: ['in_kind_items', 'in_kind_movements'],
  async generate() {
    throw new Error('in-kind generator: TODO after issue 6 is merged (see the comment above)');
  },
};
