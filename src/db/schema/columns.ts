import { sql } from 'drizzle-orm';
import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** Column shapes every capability's tables share. */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Money in integer minor units (VND and JPY have none), never a float. */
export const money = (name: string) => bigint(name, { mode: 'bigint' });

/** `'a','b'` for CHECK (... in (...)) constraints over a code list defined in TypeScript. */
export const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));
