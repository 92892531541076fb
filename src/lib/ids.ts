/** Row ids are UUIDs. Anything else cannot name a row, and Postgres refuses it (22P02). */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_RE.test(s);

/**
 * Hono path pattern for a UUID parameter, e.g. `/o/:org/donors/:id${UUID_PATH}`: any other
 * value does not match the route and is answered "not found" before it can reach SQL.
 */
export const UUID_PATH = '{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}';
