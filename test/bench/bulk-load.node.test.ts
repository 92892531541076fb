import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite';
import { bulkLoad, foreignKeyViolations, type Exec, type GenContext } from '../../bench/gen/types';

/**
 * The generator's bulk-load mode turns foreign-key checks off and indexes away for the load;
 * it must put everything back and refuse a load that broke a reference.
 */
let p: Awaited<ReturnType<typeof openPglite>>;
let exec: Exec;
const ctx = () => ({ exec, notes: [] as string[] }) as unknown as GenContext;
const indexesOf = async (table: string) =>
  (await exec(`select indexname from pg_indexes where tablename = '${table}' order by 1`)).rows.map((r) => String(r.indexname));

beforeAll(async () => {
  p = await openPglite();
  exec = (text) => p.client.query(text) as Promise<{ rows: Record<string, unknown>[] }>;
  await exec(`create table bl_parent (id int primary key)`);
  await exec(`create table bl_child (id int primary key, parent_id int references bl_parent (id), label text)`);
  await exec(`create index bl_child_label_idx on bl_child (label)`);
  await exec(`insert into bl_parent select generate_series(1, 10)`);
}, 60_000);
afterAll(() => p?.close());

describe('bulkLoad', () => {
  it('rebuilds the dropped indexes and turns the foreign keys back on', async () => {
    const before = await indexesOf('bl_child');
    const c = ctx();
    await bulkLoad(c, ['bl_child'], () => exec(`insert into bl_child select i, 1 + i % 10, 'x' || i from generate_series(1, 100) i`));
    expect(await indexesOf('bl_child')).toEqual(before);
    expect(c.notes.join()).toMatch(/1 secondary indexes rebuilt/);
    await expect(exec(`insert into bl_child values (1000, 99, 'orphan')`)).rejects.toThrow(/foreign key/);
  });

  it('fails the load when a row points at nothing, and names the constraint', async () => {
    await expect(bulkLoad(ctx(), ['bl_child'], () => exec(`insert into bl_child values (2000, 77, 'orphan')`))).rejects.toThrow(/bl_child_parent_id_fkey: 1 rows/);
    expect(await foreignKeyViolations({ exec }, ['bl_child'])).toEqual(['bl_child_parent_id_fkey: 1 rows']);
  });
});
