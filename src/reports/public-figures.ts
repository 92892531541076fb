/**
 * A centre's public page in numbers: its year so far in the funder report's own indicators (same
 * definitions, same records), organisation scope, from 1 January (Vietnam time) to today; and each
 * public campaign's card (raised, donors, packages handed over). A count of people (or of
 * packages handed to children) from 1 to 4 is not published; it reads "fewer than 5".
 */
import { and, eq, inArray, lt, lte, ne, or } from 'drizzle-orm';
import { z } from 'zod';
import { campaigns as campaignsTable, centreFigureSnapshots, organisations } from '../db/schema';
import type { Db } from '../db/types';
import { progressPerCampaign } from '../giving/campaigns';
import { vietnamDate, vietnamYear } from '../giving/money';
import { deliveredPackagesByCampaign } from '../packages/drives';
import { indicatorById, type IndicatorValue } from './indicators';
import type { Text } from './model';
import { resolveScope, type Period } from './scope';
import { isSmallCount } from './suppression';

/**
 * Packages handed over are counted as children here too: a child gets one package of a drive, so
 * a small number of packages is a small number of children.
 */
const COUNTS_CHILDREN = new Set(['packages-delivered']);

/** A small count of people (or of packages handed to children): not published. */
function withheld(id: string, value: { unit: string; value: unknown }): boolean {
  const def = indicatorById(id)!;
  return (def.people === true || COUNTS_CHILDREN.has(id)) && value.unit === 'count' && typeof value.value === 'number' && isSmallCount(value.value);
}

/** Which indicators the public page shows, in this order. */
export const PUBLIC_FIGURE_IDS = ['beneficiaries-reached', 'packages-delivered', 'in-kind-value-distributed', 'donors-giving'] as const;

export interface PublicFigure {
  id: string;
  label: Text;
  definition: Text;
  /** Null when it is a small count of people, withheld. */
  value: IndicatorValue | null;
}

/** A campaign's card on the centre's page, all time: raised in the campaign's currency net of refunds. */
export interface CampaignCardFigures {
  raisedMinor: bigint;
  donorCount: number;
  /** Packages handed over (drives that are not drafts); the page withholds a small number. */
  delivered: number;
}

export interface PublicFigures {
  period: Period;
  baseCurrency: string;
  figures: PublicFigure[];
  /** Every campaign that is not a draft, by id. */
  campaigns: Map<string, CampaignCardFigures>;
}

/** The figures as the records stand now (the page reads them stored: see `pageCentreFigures`). */
export async function centreFigures(db: Db, orgId: string, today: Date): Promise<PublicFigures> {
  const scope = await resolveScope(db, orgId, { kind: 'organisation' });
  const period = { from: `${vietnamYear(today)}-01-01`, to: vietnamDate(today) };
  const figures: PublicFigure[] = [];
  for (const id of PUBLIC_FIGURE_IDS) {
    const def = indicatorById(id)!;
    const value = await def.compute(db, scope, period);
    figures.push({ id, label: def.label, definition: def.definition, value: withheld(id, value) ? null : value });
  }
  return { period, baseCurrency: scope.baseCurrency, figures, campaigns: await campaignCards(db, orgId, scope.baseCurrency) };
}

/**
 * Each public campaign's card: what it raised, from how many donors, and the packages handed over.
 * Every campaign that is not a draft, or only those of `onlyIds`.
 */
async function campaignCards(db: Db, orgId: string, baseCurrency: string, onlyIds?: string[]): Promise<Map<string, CampaignCardFigures>> {
  const list = await db
    .select({ id: campaignsTable.id })
    .from(campaignsTable)
    .where(and(eq(campaignsTable.orgId, orgId), ne(campaignsTable.status, 'draft'), onlyIds ? inArray(campaignsTable.id, onlyIds) : undefined));
  if (!list.length) return new Map();
  const ids = onlyIds ? list.map((c) => c.id) : undefined;
  const progress = await progressPerCampaign(db, orgId, baseCurrency, { campaignIds: ids });
  const delivered = await deliveredPackagesByCampaign(db, orgId, ids);
  return new Map(
    list.map(({ id }) => [id, { raisedMinor: progress.get(id)?.raisedMinor ?? 0n, donorCount: progress.get(id)?.donorCount ?? 0, delivered: delivered.get(id) ?? 0 }]),
  );
}

/** How old stored figures may be before a visit has them computed again (after its response). */
export const FIGURES_MAX_AGE_MS = 15 * 60_000;

const storedValue = z.union([
  z.object({ unit: z.literal('count'), value: z.number().int().nonnegative() }),
  z.object({ unit: z.literal('money'), value: z.string().regex(/^-?\d+$/) }),
  z.null(),
]);
const storedFigures = z.record(z.string(), storedValue);
const count = z.number().int().nonnegative();
const storedCampaigns = z.record(z.string(), z.object({ raised: z.string().regex(/^-?\d+$/), donors: count, delivered: count }));

function toStored(f: PublicFigures) {
  return {
    figures: Object.fromEntries(f.figures.map((x) => [x.id, x.value === null ? null : x.value.unit === 'money' ? { unit: 'money', value: x.value.value.toString() } : x.value])),
    campaigns: Object.fromEntries([...f.campaigns].map(([id, c]) => [id, { raised: c.raisedMinor.toString(), donors: c.donorCount, delivered: c.delivered }])),
  };
}

/** The stored row as figures, or null when it is not what this code publishes (ids, units, cards). */
function fromStored(baseCurrency: string, period: Period, raw: unknown, rawCampaigns: unknown): PublicFigures | null {
  const parsed = storedFigures.safeParse(raw);
  const cards = storedCampaigns.safeParse(rawCampaigns);
  if (!parsed.success || !cards.success) return null;
  const figures: PublicFigure[] = [];
  for (const id of PUBLIC_FIGURE_IDS) {
    const def = indicatorById(id)!;
    const v = parsed.data[id];
    if (v === undefined || (v !== null && v.unit !== def.unit)) return null;
    // Withheld by today's rule, whatever the row says: a row written under another one is not published.
    const value: IndicatorValue | null = v === null || (v.unit === 'count' && withheld(id, v)) ? null : v.unit === 'money' ? { unit: 'money', value: BigInt(v.value) } : v;
    figures.push({ id, label: def.label, definition: def.definition, value });
  }
  const campaigns = new Map(Object.entries(cards.data).map(([id, c]) => [id, { raisedMinor: BigInt(c.raised), donorCount: c.donors, delivered: c.delivered }]));
  return { period, baseCurrency, figures, campaigns };
}

/**
 * Computes the figures now and stores them in place of the organisation's last ones, unless newer
 * ones were stored meanwhile: a refresh slower than its claim, overtaken by the next one, or last
 * year's finishing after this year's began, must not put older figures back.
 */
export async function refreshCentreFigures(db: Db, orgId: string, now: Date): Promise<PublicFigures> {
  const figures = await centreFigures(db, orgId, now);
  const row = { orgId, periodFrom: figures.period.from, periodTo: figures.period.to, computedAt: now, ...toStored(figures) };
  await db
    .insert(centreFigureSnapshots)
    .values(row)
    .onConflictDoUpdate({
      target: centreFigureSnapshots.orgId,
      set: { periodFrom: row.periodFrom, periodTo: row.periodTo, computedAt: row.computedAt, figures: row.figures, campaigns: row.campaigns },
      // A later year's figures replace an earlier year's; within a year, later figures replace earlier ones.
      setWhere: or(lt(centreFigureSnapshots.periodFrom, row.periodFrom), and(eq(centreFigureSnapshots.periodFrom, row.periodFrom), lte(centreFigureSnapshots.computedAt, row.computedAt))),
    });
  return figures;
}

/**
 * Visits that find no usable row at once (the first of a year, or after a change of what the page
 * publishes) wait for one computation on this handle, not one each. A Node server's handle is
 * shared by its requests; on Workers each request has its own, and only its own visit waits.
 */
const computing = new WeakMap<Db, Map<string, Promise<PublicFigures>>>();
function refreshOnce(db: Db, orgId: string, now: Date): Promise<PublicFigures> {
  let byOrg = computing.get(db);
  if (!byOrg) computing.set(db, (byOrg = new Map()));
  const running = byOrg.get(orgId);
  if (running) return running;
  const p = refreshCentreFigures(db, orgId, now).finally(() => byOrg.delete(orgId));
  byOrg.set(orgId, p);
  return p;
}

/** How long a visit that took on the refresh has before another visit may take it on. */
const REFRESH_CLAIM_MS = 60_000;

export interface PageFigures {
  figures: PublicFigures;
  /**
   * Set when the figures shown are older than the limit: computes and stores new ones, unless
   * another visit has already taken that on (then null).
   */
  refresh: (() => Promise<PublicFigures | null>) | null;
}

/**
 * The figures for a centre's public page, from the organisation's stored row: one read, however
 * many records the year has. Figures older than `maxAgeMs` are still shown, and `refresh` is
 * returned to compute the next ones after the response (so no visitor waits for a year's scan,
 * and any Worker isolate sees what another computed). A campaign of `campaignIds` without a
 * stored card (published since) has its card computed now, alone (a few index reads). Only the
 * first visit of a year, or one after a change of what the page publishes, computes them all
 * while it waits.
 */
export async function pageCentreFigures(db: Db, orgId: string, now: Date, opts: { maxAgeMs?: number; campaignIds?: string[] } = {}): Promise<PageFigures> {
  const [row] = await db
    .select({ s: centreFigureSnapshots, baseCurrency: organisations.baseCurrency })
    .from(centreFigureSnapshots)
    .innerJoin(organisations, eq(organisations.id, centreFigureSnapshots.orgId))
    .where(eq(centreFigureSnapshots.orgId, orgId));
  const stored =
    row && row.s.periodFrom === `${vietnamYear(now)}-01-01` ? fromStored(row.baseCurrency, { from: row.s.periodFrom, to: row.s.periodTo }, row.s.figures, row.s.campaigns) : null;
  if (!stored) return { figures: await refreshOnce(db, orgId, now), refresh: null };
  const missing = (opts.campaignIds ?? []).filter((id) => !stored.campaigns.has(id));
  if (missing.length) for (const [id, card] of await campaignCards(db, orgId, row!.baseCurrency, missing)) stored.campaigns.set(id, card);
  const age = now.getTime() - row!.s.computedAt.getTime();
  const fresh = age >= 0 && age < (opts.maxAgeMs ?? FIGURES_MAX_AGE_MS);
  if (fresh) return { figures: stored, refresh: null };
  const maxAge = opts.maxAgeMs ?? FIGURES_MAX_AGE_MS;
  const refresh = async () => {
    // One visit computes: the first to find the row still old moves its time on to "fresh for
    // another minute" (so a refresh that fails is taken on again then); the others find it fresh.
    const claimed = await db
      .update(centreFigureSnapshots)
      .set({ computedAt: new Date(now.getTime() - maxAge + REFRESH_CLAIM_MS) })
      .where(and(eq(centreFigureSnapshots.orgId, orgId), lte(centreFigureSnapshots.computedAt, new Date(now.getTime() - maxAge))))
      .returning({ orgId: centreFigureSnapshots.orgId });
    return claimed.length ? refreshCentreFigures(db, orgId, now) : null;
  };
  return { figures: stored, refresh };
}
