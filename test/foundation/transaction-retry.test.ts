import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, dbKind, type Harness } from '../support/harness';
import { queryRows, type Db } from '../../src/db/types';
import { independentReads, TRANSACTION_ATTEMPTS } from '../../src/db/retry';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seed: false });
  await h.db.execute(sql`create table retry_probe (id int primary key, n int not null)`);
});
afterAll(() => h?.close());

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
const counts = async () => (await queryRows<{ id: number; n: number }>(h.db, sql`select id, n from retry_probe order by id`)).map((r) => [r.id, r.n]);

describe('transactions that PostgreSQL rolls back for a deadlock run again', () => {
  it('a transaction that lost a deadlock once commits on its second run, with nothing doubled', async () => {
    await h.db.execute(sql`delete from retry_probe`);
    let runs = 0;
    const result = await h.db.transaction(async (tx) => {
      runs++;
      await tx.execute(sql`insert into retry_probe (id, n) values (1, 1)`);
      if (runs === 1) throw deadlock();
      return 'saved';
    });
    expect(result).toBe('saved');
    expect(runs).toBe(2);
    // The first run's insert was rolled back: one row, not a duplicate-key failure.
    expect(await counts()).toEqual([[1, 1]]);
  });

  it('any other error is not retried and leaves nothing behind', async () => {
    await h.db.execute(sql`delete from retry_probe`);
    let runs = 0;
    await expect(
      h.db.transaction(async (tx) => {
        runs++;
        await tx.execute(sql`insert into retry_probe (id, n) values (1, 1)`);
        throw Object.assign(new Error('check violated'), { code: '23514' });
      }),
    ).rejects.toThrow('check violated');
    expect(runs).toBe(1);
    expect(await counts()).toEqual([]);
  });

  it(`gives up after ${TRANSACTION_ATTEMPTS} runs, and the API answers 503 problem+json with Retry-After (not a 500)`, async () => {
    let runs = 0;
    await expect(
      h.db.transaction(async () => {
        runs++;
        throw deadlock();
      }),
    ).rejects.toThrow('deadlock detected');
    expect(runs).toBe(TRANSACTION_ATTEMPTS);

    h.app.get('/api/v1/probe-deadlock', async () => {
      await h.db.transaction(async () => {
        throw deadlock();
      });
      return new Response('unreachable');
    });
    const res = await h.request('/api/v1/probe-deadlock');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(/nothing was saved/);
    expect(h.logs.some((l) => l.includes('"http.transient_conflict"') && l.includes('40P01'))).toBe(true);
  });

  it.skipIf(dbKind() === 'pglite')('two transactions that really deadlock on PostgreSQL both commit, once each', async () => {
    // PGlite has one connection, so it cannot deadlock; on PostgreSQL the two take the same two
    // rows in opposite order, PostgreSQL kills one, and it runs again once the other is done.
    await h.db.execute(sql`delete from retry_probe`);
    await h.db.execute(sql`insert into retry_probe (id, n) values (1, 0), (2, 0)`);
    let firstLocks = 0;
    let bothHoldOne!: () => void;
    const barrier = new Promise<void>((r) => (bothHoldOne = r));
    const runs = { a: 0, b: 0 };
    const move = (name: 'a' | 'b', first: number, second: number) =>
      h.db.transaction(async (tx) => {
        runs[name]++;
        await tx.execute(sql`update retry_probe set n = n + 1 where id = ${first}`);
        if (++firstLocks === 2) bothHoldOne();
        await barrier;
        await tx.execute(sql`update retry_probe set n = n + 1 where id = ${second}`);
      });
    await Promise.all([move('a', 1, 2), move('b', 2, 1)]);
    expect(runs.a + runs.b).toBe(3); // one of them was the deadlock's victim and ran twice
    expect(await counts()).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });
});

describe('independent reads', () => {
  const read = (log: string[], name: string) => async () => {
    log.push(`${name} starts`);
    await h.db.execute(sql`select pg_sleep(0.02)`);
    log.push(`${name} ends`);
    return name;
  };
  const probe = (log: string[], tx: Db, name: string) => async () => {
    log.push(`${name} starts`);
    const [r] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from retry_probe`);
    log.push(`${name} ends`);
    return r!.n;
  };

  it('run side by side on the pool, and give their results in order', async () => {
    const log: string[] = [];
    expect(await independentReads(h.db, [read(log, 'a'), read(log, 'b')])).toEqual(['a', 'b']);
    expect(log.slice(0, 2)).toEqual(['a starts', 'b starts']);
  });

  it('run one after another inside a transaction, whose one connection takes a query at a time', async () => {
    const log: string[] = [];
    const results = await h.db.transaction((tx) => independentReads(tx as unknown as Db, [probe(log, tx as unknown as Db, 'a'), probe(log, tx as unknown as Db, 'b')]));
    expect(results).toHaveLength(2);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
  });
});
