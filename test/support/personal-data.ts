import { sql } from 'drizzle-orm';
import { openPglite } from '../../src/db/pglite';
import { seedDemo } from '../../src/demo/seed';
import { queryRows } from '../../src/db/types';
import { systemClock } from '../../src/lib/clock';

/**
 * The personal data of everyone the demo seeds, read back from a freshly seeded database:
 * staff names and emails, donors' names, emails and phones, children's identifying fields.
 * New tables holding personal data add their columns here.
 */
export const PERSONAL_COLUMNS: { table: string; columns: string[] }[] = [
  { table: 'users', columns: ['email', 'name'] },
  { table: 'donors', columns: ['name', 'email', 'phone'] },
  { table: 'case_identities', columns: ['full_name', 'birth_date', 'address', 'guardian_name', 'guardian_phone'] },
];

export async function personalDataOfSeededPeople(): Promise<string[]> {
  const p = await openPglite();
  try {
    await seedDemo(p.db, systemClock);
    const out = new Set<string>();
    for (const { table, columns } of PERSONAL_COLUMNS) {
      for (const col of columns) {
        const rows = await queryRows<{ v: string | null }>(p.db, sql.raw(`select distinct ${col}::text as v from ${table} where ${col} is not null`));
        for (const r of rows) if (r.v) out.add(r.v);
      }
    }
    return [...out];
  } finally {
    await p.close();
  }
}
