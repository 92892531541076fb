import { auditLog } from '../db/schema';
import type { Db } from '../db/types';

export interface AuditEntry {
  orgId?: string | null;
  actorKind: 'user' | 'api_token' | 'system' | 'donor' | 'anonymous';
  actorId?: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  reason?: string;
  requestId?: string;
  /** Ids and counts only: never a name, an address or a birth date. */
  data?: Record<string, unknown>;
  at?: Date;
}

export async function writeAudit(db: Db, entry: AuditEntry) {
  await db.insert(auditLog).values({
    orgId: entry.orgId ?? null,
    actorKind: entry.actorKind,
    actorId: entry.actorId ?? null,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    reason: entry.reason ?? null,
    requestId: entry.requestId ?? null,
    data: entry.data ?? null,
    ...(entry.at ? { at: entry.at } : {}),
  });
}
