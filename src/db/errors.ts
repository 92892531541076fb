/**
 * Reading PostgreSQL errors through whichever driver raised them (PGlite, the Neon driver) and
 * whatever wrapped them (drizzle puts the driver's error in `cause`). Only codes and constraint
 * names are read: messages can carry query parameters, which may be personal data.
 */

function causes(err: unknown): object[] {
  const chain: object[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

/** The SQLSTATE (e.g. '23505'), if the error or one of its causes carries one. */
export function pgErrorCode(err: unknown): string | undefined {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The constraint a violation names, if any. */
export function pgConstraint(err: unknown): string | undefined {
  for (const e of causes(err)) {
    const c = (e as { constraint?: unknown }).constraint ?? (e as { constraint_name?: unknown }).constraint_name;
    if (typeof c === 'string') return c;
  }
  return undefined;
}

/** Constraint names and messages joined, for matching which CHECK fired (never shown or logged). */
export function pgErrorText(err: unknown): string {
  const parts: string[] = [];
  for (const e of causes(err)) {
    const x = e as { constraint?: unknown; message?: unknown };
    if (typeof x.constraint === 'string') parts.push(x.constraint);
    if (typeof x.message === 'string') parts.push(x.message);
  }
  return parts.join(' ');
}

/**
 * A deadlock (40P01) or a serialization failure (40001): PostgreSQL rolled the transaction back
 * and running it again is the documented remedy. Nothing it wrote remains.
 */
export function isTransientConflict(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code === '40P01' || code === '40001';
}
