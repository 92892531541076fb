import type { Db } from '../../src/db/types';

export interface LoadContext {
  db: Db;
  orgId: string;
  appUrl: string;
  http: (path: string, init: RequestInit & { label: string }) => Promise<Response>;
  count: (what: string) => void;
}

/**
 * Load actors of capabilities beyond giving (gift-package matching and delivery, in-kind
 * distribution). Each returns named async actions run in the mixed load.
 */
export async function extraLoadActors(_ctx: LoadContext): Promise<Record<string, () => Promise<void>>> {
  return {};
}
