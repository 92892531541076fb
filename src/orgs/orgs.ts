import { and, asc, eq, like, sql } from 'drizzle-orm';
import { locations, memberships, organisations, staffAssignments, users, type LocationKind, type Role } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';

export async function createOrganisation(
  db: Db,
  input: { slug: string; name: string; shortCode: string; baseCurrency?: string; defaultLocale?: string },
) {
  const [org] = await db
    .insert(organisations)
    .values({
      slug: input.slug,
      name: input.name,
      shortCode: input.shortCode,
      baseCurrency: input.baseCurrency ?? 'VND',
      defaultLocale: input.defaultLocale ?? 'vi',
    })
    .returning();
  return org!;
}

export async function addLocation(
  db: Db,
  orgId: string,
  input: { name: string; kind: LocationKind; parentId?: string | null; code?: string | null },
) {
  let parentPath = '/';
  if (input.parentId) {
    const [parent] = await db
      .select()
      .from(locations)
      .where(and(eq(locations.id, input.parentId), eq(locations.orgId, orgId)))
      .limit(1);
    if (!parent) throw invalid('The parent location does not exist in this organisation.', [{ path: 'body.parentId', message: 'unknown location' }]);
    parentPath = parent.path;
  }
  const id = crypto.randomUUID();
  const [row] = await db
    .insert(locations)
    .values({ id, orgId, parentId: input.parentId ?? null, kind: input.kind, name: input.name, code: input.code ?? null, path: `${parentPath}${id}/` })
    .returning();
  return row!;
}

export async function listLocations(db: Db, orgId: string) {
  return db.select().from(locations).where(eq(locations.orgId, orgId)).orderBy(asc(locations.path));
}

export async function getLocation(db: Db, orgId: string, id: string) {
  const [row] = await db.select().from(locations).where(and(eq(locations.orgId, orgId), eq(locations.id, id))).limit(1);
  if (!row) throw notFound('Location');
  return row;
}

/** Ids of a location and everything under it. */
export async function subtreeIds(db: Db, orgId: string, locationId: string): Promise<string[]> {
  const root = await getLocation(db, orgId, locationId);
  const rows = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.orgId, orgId), like(locations.path, `${root.path}%`)));
  return rows.map((r) => r.id);
}

/** The nearest ancestor (or self) of the given kind, e.g. the province of a commune. */
export async function ancestorOfKind(db: Db, orgId: string, locationId: string, kind: LocationKind) {
  const loc = await getLocation(db, orgId, locationId);
  const ids = loc.path.split('/').filter(Boolean);
  if (ids.length === 0) return null;
  const rows = await db
    .select()
    .from(locations)
    .where(and(eq(locations.orgId, orgId), eq(locations.kind, kind), sql`${locations.id} in ${ids}`));
  // deepest first
  rows.sort((a, b) => b.path.length - a.path.length);
  return rows[0] ?? null;
}

export async function upsertUser(db: Db, input: { email: string; name: string; locale?: string }) {
  const email = input.email.trim();
  const [existing] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
  if (existing) return existing;
  const [row] = await db.insert(users).values({ email, name: input.name, locale: input.locale ?? 'vi' }).returning();
  return row!;
}

export async function addMember(db: Db, orgId: string, userId: string, role: Role) {
  const rows = await db.insert(memberships).values({ orgId, userId, role }).onConflictDoNothing().returning();
  if (rows.length === 0) throw conflict('This person already has that role.');
  return rows[0]!;
}

export async function assignStaff(db: Db, orgId: string, userId: string, locationId: string) {
  await getLocation(db, orgId, locationId);
  await db.insert(staffAssignments).values({ orgId, userId, locationId }).onConflictDoNothing();
}

export async function listMembers(db: Db, orgId: string) {
  const rows = await db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(users.name);
  const byUser = new Map<string, { userId: string; email: string; name: string; roles: Role[] }>();
  for (const r of rows) {
    const u = byUser.get(r.userId) ?? { userId: r.userId, email: r.email, name: r.name, roles: [] };
    u.roles.push(r.role);
    byUser.set(r.userId, u);
  }
  return [...byUser.values()];
}

export async function getOrganisationBySlug(db: Db, slug: string) {
  const [org] = await db.select().from(organisations).where(eq(organisations.slug, slug)).limit(1);
  return org ?? null;
}
