import { sql } from 'drizzle-orm';
import type { Db } from '../db/types';
import { queryRows } from '../db/types';

/**
 * A content fingerprint of the database: row count of every table and the sum of every
 * integer-money (bigint/integer) column. Two databases with the same fingerprint hold the same
 * countable facts; used to prove a backup restores everything.
 */
export async function databaseFingerprint(db: Db): Promise<Record<string, string>> {
  const cols = await queryRows<{ table_name: string; column_name: string; data_type: string }>(
    db,
    sql`select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and data_type in ('bigint', 'integer', 'numeric')
        order by table_name, ordinal_position`,
  );
  const tables = await queryRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'rate_limits' order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const sums = cols.filter((c) => c.table_name === table_name).map((c) => `coalesce(sum("${c.column_name}"), 0)::text as "${c.column_name}"`);
    const [row] = await queryRows<Record<string, string>>(
      db,
      sql.raw(`select count(*)::text as "__rows"${sums.length ? ', ' + sums.join(', ') : ''} from "${table_name}"`),
    );
    for (const [k, v] of Object.entries(row ?? {})) out[`${table_name}.${k}`] = String(v);
  }
  return out;
}
