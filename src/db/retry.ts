import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './types';
import { isTransientConflict } from './errors';

/** How many times a transaction runs at most when PostgreSQL keeps reporting a deadlock. */
export const TRANSACTION_ATTEMPTS = 5;

/** Waits before attempt `n` (2, 3, …); jittered so two victims of one deadlock do not meet again. */
const backoff = (attempt: number) => new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(200, 10 * 2 ** attempt)));

/**
 * Makes `db.transaction` run its work again when PostgreSQL rolls it back for a deadlock or a
 * serialization failure, as PostgreSQL's documentation prescribes: under concurrent writers
 * (deliveries, in-kind movements and gifts all posting to a fund's day totals) a deadlock is
 * an ordinary outcome, and the rolled-back transaction left nothing behind. Only top-level
 * transactions retry; a nested one (a savepoint) fails into its parent, which retries whole.
 * The work must touch nothing outside the database it cannot repeat; ours only reads other
 * services (Stripe look-ups) inside a transaction and queues mail in the outbox table.
 */
export function retryTransactions(db: Db): Db {
  const once = db.transaction.bind(db);
  const transaction: Db['transaction'] = async (work, config) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(work, config);
      } catch (err) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isTransientConflict(err)) throw err;
        await backoff(attempt + 1);
      }
    }
  };
  Object.defineProperty(db, 'transaction', { value: transaction, configurable: true, writable: true });
  return db;
}

/**
 * Runs `work` inside the caller's transaction when `db` already is one, else in a transaction of
 * its own (retried as above). Joining costs nothing, where a nested `db.transaction` would be a
 * savepoint: two more round trips. For work whose refusals come before its first write, or
 * whose callers let any error roll their whole transaction back (none catches and goes on).
 */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work(db as unknown as Db);
  return db.transaction((tx) => work(tx as unknown as Db));
}

/**
 * Independent reads: side by side on a pool (each on a connection of its own), one after another
 * inside a transaction, whose one connection runs a query at a time anyway (node-postgres queues
 * them today with a deprecation warning, and its next major version refuses them).
 */
export async function independentReads<T extends readonly unknown[]>(db: Db, reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (!(db instanceof PgTransaction)) return (await Promise.all(reads.map((read) => read()))) as unknown as T;
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as unknown as T;
}
