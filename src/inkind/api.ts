import { OpenAPIHono, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/middleware';
import { invalid } from '../http/problem';
import { apiRoute, IsoDay, OrgParam } from '../http/routes';
import { ADJUST_REASONS, ITEM_CATEGORIES, ITEM_CONDITIONS, ITEM_UNITS, VALUATION_SOURCES, inkindDistributions, inkindIntakes, type Role } from '../db/schema';
import { kickOutbox } from '../mail/kick';
import { toJsonAmount } from '../giving/money';
import {
  adjustStock,
  createItem,
  drawPackageContents,
  getInkindSettings,
  getPackageTypeItems,
  listItems,
  recordDistribution,
  recordIntake,
  returnStock,
  setInkindSettings,
  setPackageTypeItems,
  transferStock,
  updateItem,
  type Item,
} from './stock';
import { cancelCount, confirmCount, getCount, listCounts, recordCounted, startCount } from './counts';
import { byLocationAndCategory, flowCsv, flowReport, stockCsv, stockOnHand } from './reports';

/** Who reads stock and reports; who moves goods; who edits the catalogue and settings. */
export const INKIND_READ: readonly Role[] = ['admin', 'finance', 'coordinator', 'viewer'];
export const INKIND_WRITE: readonly Role[] = ['admin', 'coordinator'];
export const INKIND_ADMIN: readonly Role[] = ['admin'];

const Amount = z.number().int().safe();
const Qty = z.number().int().min(1).max(1_000_000);
const Uuid = z.string().uuid();
const Day = IsoDay;
const IdParam = OrgParam.extend({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });
const PackageTypeParam = OrgParam.extend({ packageTypeId: Uuid.openapi({ param: { name: 'packageTypeId', in: 'path' } }) });
const Loose = z.record(z.string(), z.unknown());
const json = (schema: z.ZodTypeAny, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodTypeAny) => ({ required: true, content: { 'application/json': { schema } } });

const ItemSchema = z
  .object({
    id: Uuid,
    nameVi: z.string(),
    nameEn: z.string().nullable(),
    category: z.enum(ITEM_CATEGORIES),
    unit: z.enum(ITEM_UNITS),
    unitValueMinor: Amount,
    currency: z.string(),
    valuationSource: z.enum(VALUATION_SOURCES),
    active: z.boolean(),
  })
  .openapi('InkindItem');
const itemJson = (i: Item) => ({ id: i.id, nameVi: i.nameVi, nameEn: i.nameEn, category: i.category, unit: i.unit, unitValueMinor: toJsonAmount(i.unitValueMinor), currency: i.currency, valuationSource: i.valuationSource, active: i.active });

const ItemInput = z
  .object({
    nameVi: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().max(200).nullable().optional(),
    category: z.enum(ITEM_CATEGORIES),
    unit: z.enum(ITEM_UNITS),
    unitValueMinor: Amount.min(0).default(0),
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    valuationSource: z.enum(VALUATION_SOURCES).default('none'),
    active: z.boolean().optional(),
  })
  .openapi('InkindItemInput');
const ItemPatch = ItemInput.partial().extend({ category: z.enum(ITEM_CATEGORIES).optional() }).openapi('InkindItemPatch');

const QtyLine = z.object({ itemId: Uuid, quantity: Qty });
const IntakeInput = z
  .object({
    donorId: Uuid.nullable().optional(),
    anonymous: z.boolean().optional(),
    receivedOn: Day,
    locationId: Uuid,
    ackStatesValue: z.boolean().nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
    lines: z.array(z.object({ itemId: Uuid, quantity: Qty, condition: z.enum(ITEM_CONDITIONS), unitValueMinor: Amount.min(0).nullable().optional() })).min(1).max(200),
  })
  .openapi('InkindIntakeInput');
const TransferInput = z.object({ fromLocationId: Uuid, toLocationId: Uuid, on: Day, note: z.string().max(2000).nullable().optional(), lines: z.array(QtyLine).min(1).max(200) }).openapi('StockTransferInput');
const DistributionInput = z
  .object({
    kind: z.enum(['case', 'event']),
    locationId: Uuid,
    distributedOn: Day,
    caseId: Uuid.nullable().optional(),
    eventName: z.string().max(200).nullable().optional(),
    headcount: z.number().int().min(1).max(1_000_000).nullable().optional(),
    placeLocationId: Uuid.nullable().optional(),
    place: z.string().max(200).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
    lines: z.array(QtyLine).min(1).max(200),
  })
  .openapi('InkindDistributionInput');
const AdjustmentInput = z
  .object({
    locationId: Uuid,
    on: Day,
    reason: z.enum(ADJUST_REASONS),
    note: z.string().max(2000).nullable().optional(),
    lines: z.array(z.object({ itemId: Uuid, quantity: z.number().int().min(-1_000_000).max(1_000_000) })).min(1).max(200),
  })
  .openapi('StockAdjustmentInput');
const ReturnInput = z
  .object({ distributionId: Uuid, on: Day, note: z.string().max(2000).nullable().optional(), lines: z.array(QtyLine.extend({ condition: z.enum(ITEM_CONDITIONS).optional() })).min(1).max(200) })
  .openapi('StockReturnInput');
const CountLinesInput = z.object({ lines: z.array(z.object({ itemId: Uuid, countedQuantity: z.number().int().min(0).max(1_000_000) })).min(1).max(500) }).openapi('StockCountLinesInput');
const PackageItemsInput = z.object({ items: z.array(QtyLine).max(100) }).openapi('PackageTypeItemsInput');
const DrawInput = z.object({ locationId: Uuid, caseId: Uuid.nullable().optional(), packageUnitId: Uuid.nullable().optional(), quantity: Qty.optional(), on: Day.optional() }).openapi('PackageDrawInput');
const Period = z.object({ from: Day, to: Day });

const ctxOf = (c: Context<AppEnv>) => ({ now: c.get('deps').clock.now(), createdBy: c.get('principal')?.userId ?? null });
const amounts = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? toJsonAmount(v) : v]));

export const inkindApi = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

// ---------- catalogue and settings ----------

inkindApi.openapi(
  apiRoute(INKIND_READ, { method: 'get', path: '/orgs/{org}/inkind/items', tags: ['inkind'], summary: 'The item catalogue', request: { params: OrgParam }, responses: { 200: json(z.object({ items: z.array(ItemSchema) })) } }),
  async (c) => c.json({ items: (await listItems(c.get('db'), c.get('org').id)).map(itemJson) }, 200),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/items', tags: ['inkind'], summary: 'Add an item to the catalogue', request: { params: OrgParam, body: body(ItemInput) }, responses: { 201: json(ItemSchema, 'Created'), 409: json(Loose, 'Name taken') } }),
  async (c) => {
    const b = c.req.valid('json') as z.infer<typeof ItemInput>;
    return c.json(itemJson(await createItem(c.get('db'), c.get('org').id, { ...b, unitValueMinor: BigInt(b.unitValueMinor) })), 201);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'patch', path: '/orgs/{org}/inkind/items/{id}', tags: ['inkind'], summary: 'Edit an item (name, category, unit, fair value and its source, in use)', request: { params: IdParam, body: body(ItemPatch) }, responses: { 200: json(ItemSchema) } }),
  async (c) => {
    const b = c.req.valid('json') as z.infer<typeof ItemPatch>;
    const patch = { ...b, unitValueMinor: b.unitValueMinor === undefined ? undefined : BigInt(b.unitValueMinor) };
    return c.json(itemJson(await updateItem(c.get('db'), c.get('org').id, c.req.valid('param').id, patch)), 200);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_READ, { method: 'get', path: '/orgs/{org}/inkind/settings', tags: ['inkind'], summary: 'In-kind settings', request: { params: OrgParam }, responses: { 200: json(z.object({ ackStatesValue: z.boolean() })) } }),
  async (c) => c.json(await getInkindSettings(c.get('db'), c.get('org').id), 200),
);

inkindApi.openapi(
  apiRoute(INKIND_ADMIN, {
    method: 'put',
    path: '/orgs/{org}/inkind/settings',
    tags: ['inkind'],
    summary: 'Whether acknowledgements state the value of goods (default for every intake)',
    request: { params: OrgParam, body: body(z.object({ ackStatesValue: z.boolean() }).openapi('InkindSettings')) },
    responses: { 200: json(z.object({ ackStatesValue: z.boolean() })) },
  }),
  async (c) => c.json(await setInkindSettings(c.get('db'), c.get('org').id, c.req.valid('json') as { ackStatesValue: boolean }), 200),
);

// ---------- movements ----------

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/intakes', tags: ['inkind'], summary: 'Record an in-kind gift (receive movements and an acknowledgement to the donor)', request: { params: OrgParam, body: body(IntakeInput) }, responses: { 201: json(Loose, 'Recorded') } }),
  async (c) => {
    const b = c.req.valid('json') as z.infer<typeof IntakeInput>;
    const r = await recordIntake(
      c.get('db'),
      c.get('org').id,
      { ...b, lines: b.lines.map((l) => ({ ...l, unitValueMinor: l.unitValueMinor === null || l.unitValueMinor === undefined ? null : BigInt(l.unitValueMinor) })) },
      ctxOf(c),
    );
    kickOutbox(c);
    return c.json({ id: r.intake.id, movements: r.movements, valueMinor: toJsonAmount(r.valueMinor), acknowledgement: r.acknowledgement }, 201);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_READ, { method: 'get', path: '/orgs/{org}/inkind/intakes', tags: ['inkind'], summary: 'Recent intakes', request: { params: OrgParam }, responses: { 200: json(z.object({ items: z.array(Loose) })) } }),
  async (c) => {
    const rows = await c.get('db').select().from(inkindIntakes).where(eq(inkindIntakes.orgId, c.get('org').id)).orderBy(desc(inkindIntakes.receivedOn), desc(inkindIntakes.createdAt)).limit(200);
    return c.json({ items: rows.map((r) => ({ id: r.id, donorId: r.anonymous ? null : r.donorId, anonymous: r.anonymous, receivedOn: r.receivedOn, locationId: r.locationId })) }, 200);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/transfers', tags: ['inkind'], summary: 'Move goods between offices', request: { params: OrgParam, body: body(TransferInput) }, responses: { 201: json(Loose, 'Moved'), 409: json(Loose, 'Not enough stock') } }),
  async (c) => c.json(amounts(await transferStock(c.get('db'), c.get('org').id, c.req.valid('json') as z.infer<typeof TransferInput>, ctxOf(c))), 201),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/distributions', tags: ['inkind'], summary: "Give goods to a child's case or at a group event", request: { params: OrgParam, body: body(DistributionInput) }, responses: { 201: json(Loose, 'Distributed'), 409: json(Loose, 'Not enough stock') } }),
  async (c) => {
    const r = await recordDistribution(c.get('db'), c.get('org').id, c.req.valid('json') as z.infer<typeof DistributionInput>, ctxOf(c));
    return c.json({ id: r.distribution.id, lines: r.lines, valueMinor: toJsonAmount(r.valueMinor) }, 201);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_READ, { method: 'get', path: '/orgs/{org}/inkind/distributions', tags: ['inkind'], summary: 'Recent distributions (cases by id only)', request: { params: OrgParam }, responses: { 200: json(z.object({ items: z.array(Loose) })) } }),
  async (c) => {
    const rows = await c.get('db').select().from(inkindDistributions).where(and(eq(inkindDistributions.orgId, c.get('org').id))).orderBy(desc(inkindDistributions.distributedOn), desc(inkindDistributions.createdAt)).limit(200);
    return c.json({ items: rows.map((r) => ({ id: r.id, kind: r.kind, distributedOn: r.distributedOn, locationId: r.locationId, caseId: r.caseId, eventName: r.eventName, headcount: r.headcount, place: r.place, packageTypeId: r.packageTypeId, packageUnitId: r.packageUnitId })) }, 200);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/adjustments', tags: ['inkind'], summary: 'Adjust stock (damaged, expired, count correction, other) with a reason', request: { params: OrgParam, body: body(AdjustmentInput) }, responses: { 201: json(Loose, 'Adjusted'), 409: json(Loose, 'Not enough stock') } }),
  async (c) => c.json(amounts(await adjustStock(c.get('db'), c.get('org').id, c.req.valid('json') as z.infer<typeof AdjustmentInput>, ctxOf(c))), 201),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/returns', tags: ['inkind'], summary: 'Goods that come back from a distribution', request: { params: OrgParam, body: body(ReturnInput) }, responses: { 201: json(Loose, 'Returned'), 409: json(Loose, 'More than was given') } }),
  async (c) => c.json(amounts(await returnStock(c.get('db'), c.get('org').id, c.req.valid('json') as z.infer<typeof ReturnInput>, ctxOf(c))), 201),
);

// ---------- gift packages ----------

inkindApi.openapi(
  apiRoute(INKIND_READ, { method: 'get', path: '/orgs/{org}/inkind/package-types/{packageTypeId}/items', tags: ['inkind'], summary: 'Goods in one gift package type', request: { params: PackageTypeParam }, responses: { 200: json(z.object({ items: z.array(Loose) })) } }),
  async (c) => c.json({ items: await getPackageTypeItems(c.get('db'), c.get('org').id, c.req.valid('param').packageTypeId) }, 200),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'put', path: '/orgs/{org}/inkind/package-types/{packageTypeId}/items', tags: ['inkind'], summary: 'Set the goods in one gift package type', request: { params: PackageTypeParam, body: body(PackageItemsInput) }, responses: { 200: json(z.object({ items: z.array(Loose) })) } }),
  async (c) => c.json({ items: await setPackageTypeItems(c.get('db'), c.get('org').id, c.req.valid('param').packageTypeId, (c.req.valid('json') as z.infer<typeof PackageItemsInput>).items) }, 200),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, {
    method: 'post',
    path: '/orgs/{org}/inkind/package-types/{packageTypeId}/draw',
    tags: ['inkind'],
    summary: 'Draw the goods of delivered packages from stock (all or nothing; once per package unit)',
    request: { params: PackageTypeParam, body: body(DrawInput) },
    responses: { 201: json(Loose, 'Drawn'), 409: json(Loose, 'Not enough stock') },
  }),
  async (c) => {
    const b = c.req.valid('json') as z.infer<typeof DrawInput>;
    const now = c.get('deps').clock.now();
    const r = await drawPackageContents(c.get('db'), c.get('org').id, {
      packageTypeId: c.req.valid('param').packageTypeId,
      locationId: b.locationId,
      caseId: b.caseId ?? null,
      packageUnitId: b.packageUnitId ?? null,
      quantity: b.quantity,
      at: b.on ? new Date(`${b.on}T00:00:00+07:00`) : now,
      createdBy: c.get('principal')?.userId ?? null,
    });
    return c.json({ distributionId: r.distributionId, duplicate: r.duplicate, lines: r.lines, valueMinor: toJsonAmount(r.valueMinor) }, 201);
  },
);

// ---------- counts ----------

const countJson = (r: Awaited<ReturnType<typeof getCount>>) => ({
  id: r.count.id,
  locationId: r.count.locationId,
  status: r.count.status,
  startedAt: r.count.startedAt.toISOString(),
  confirmedAt: r.count.confirmedAt?.toISOString() ?? null,
  complete: r.complete,
  lines: r.lines,
  proposal: r.proposal,
});

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/counts', tags: ['inkind'], summary: 'Start a stock count at an office (a sheet of every item with stock there)', request: { params: OrgParam, body: body(z.object({ locationId: Uuid }).openapi('StockCountStart')) }, responses: { 201: json(Loose, 'Started') } }),
  async (c) => {
    const count = await startCount(c.get('db'), c.get('org').id, c.req.valid('json') as { locationId: string }, ctxOf(c));
    return c.json(countJson(await getCount(c.get('db'), c.get('org').id, count.id)), 201);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_READ, { method: 'get', path: '/orgs/{org}/inkind/counts', tags: ['inkind'], summary: 'Stock counts', request: { params: OrgParam }, responses: { 200: json(z.object({ items: z.array(Loose) })) } }),
  async (c) => c.json({ items: (await listCounts(c.get('db'), c.get('org').id)).map((r) => ({ id: r.id, locationId: r.locationId, status: r.status, startedAt: r.startedAt.toISOString() })) }, 200),
);

inkindApi.openapi(
  apiRoute(INKIND_READ, { method: 'get', path: '/orgs/{org}/inkind/counts/{id}', tags: ['inkind'], summary: 'A count sheet with the proposed adjustments', request: { params: IdParam }, responses: { 200: json(Loose) } }),
  async (c) => c.json(countJson(await getCount(c.get('db'), c.get('org').id, c.req.valid('param').id)), 200),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'put', path: '/orgs/{org}/inkind/counts/{id}/lines', tags: ['inkind'], summary: 'Enter counted quantities; answers with the proposed adjustments', request: { params: IdParam, body: body(CountLinesInput) }, responses: { 200: json(Loose) } }),
  async (c) => c.json(countJson(await recordCounted(c.get('db'), c.get('org').id, c.req.valid('param').id, (c.req.valid('json') as z.infer<typeof CountLinesInput>).lines)), 200),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, {
    method: 'post',
    path: '/orgs/{org}/inkind/counts/{id}/confirm',
    tags: ['inkind'],
    summary: 'Post exactly the proposed adjustments (refused with 409 if stock moved since the count started)',
    request: { params: IdParam },
    responses: { 200: json(Loose), 409: json(Loose, 'Stock moved or count closed') },
  }),
  async (c) => c.json(amounts(await confirmCount(c.get('db'), c.get('org').id, c.req.valid('param').id, ctxOf(c))), 200),
);

inkindApi.openapi(
  apiRoute(INKIND_WRITE, { method: 'post', path: '/orgs/{org}/inkind/counts/{id}/cancel', tags: ['inkind'], summary: 'Cancel an open count', request: { params: IdParam }, responses: { 200: json(Loose) } }),
  async (c) => c.json(await cancelCount(c.get('db'), c.get('org').id, c.req.valid('param').id), 200),
);

// ---------- reports ----------

inkindApi.openapi(
  apiRoute(INKIND_READ, {
    method: 'get',
    path: '/orgs/{org}/inkind/stock',
    tags: ['inkind'],
    summary: 'Stock on hand per location and item, and by location and category (quantity and value)',
    request: { params: OrgParam, query: z.object({ locationId: Uuid.optional() }) },
    responses: { 200: json(z.object({ items: z.array(Loose), byCategory: z.array(Loose) })) },
  }),
  async (c) => {
    const lines = await stockOnHand(c.get('db'), c.get('org').id, c.req.valid('query'));
    return c.json({ items: lines.map(amounts), byCategory: byLocationAndCategory(lines).map(amounts) }, 200);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_READ, {
    method: 'get',
    path: '/orgs/{org}/inkind/reports/flow',
    tags: ['inkind'],
    summary: 'Received, distributed and written off between two dates (inclusive), in units and value; ?format=csv for a spreadsheet',
    request: { params: OrgParam, query: Period.extend({ format: z.enum(['json', 'csv']).default('json') }) },
    responses: { 200: { description: 'Report', content: { 'application/json': { schema: Loose }, 'text/csv': { schema: z.string() } } } },
  }),
  async (c) => {
    const q = c.req.valid('query');
    if (q.from > q.to) throw invalid('The period ends before it starts.', [{ path: 'query.to', message: 'on or after from' }]);
    const r = await flowReport(c.get('db'), c.get('org').id, q);
    if (q.format === 'csv') return c.body(flowCsv(r, c.get('locale')), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="inkind-${q.from}-${q.to}.csv"` }) as never;
    return c.json({ from: r.from, to: r.to, lines: r.lines.map(amounts), totals: amounts(r.totals) }, 200);
  },
);

inkindApi.openapi(
  apiRoute(INKIND_READ, {
    method: 'get',
    path: '/orgs/{org}/inkind/stock.csv',
    tags: ['inkind'],
    summary: 'Stock on hand as CSV (UTF-8 with BOM, formula-safe)',
    request: { params: OrgParam, query: z.object({ locationId: Uuid.optional() }) },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
  }),
  async (c) => {
    const lines = await stockOnHand(c.get('db'), c.get('org').id, c.req.valid('query'));
    return c.body(stockCsv(lines, c.get('locale')), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="inkind-stock.csv"' }) as never;
  },
);
