import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../http/env';
import { requireOrgRole } from '../http/middleware';
import { STAFF_READ } from '../http/routes';
import { ProblemError } from '../http/problem';
import { Layout } from '../ui/layout';
import { formatDate, formatNumber, pick, type Locale } from '../ui/i18n';
import { orgNavItems } from '../ui/nav';
import { listLocations, listMembers } from '../orgs/orgs';
import {
  AUDIENCE_TYPES,
  CALL_OUTCOMES,
  CALL_TOPICS,
  CALLER_TYPES,
  CASE_STATUSES,
  GENDERS,
  HOUSEHOLD_SITUATIONS,
  OUTREACH_KINDS,
  URGENCIES,
  type Role,
} from '../db/schema';
import type { Db } from '../db/types';
import {
  addGoal,
  AGE_BANDS,
  caseDetail,
  caseScope,
  createCase,
  inScope,
  listCases,
  listCategories,
  logService,
  setGoalStatus,
  transitionCase,
  vnDate,
  type CaseActor,
} from './cases';
import { eraseCaseIdentity, recordConsent, revealIdentity, updateIdentity, type CaseIdentity } from './identity';
import { listHotlineCalls, listOutreachEvents, logHotlineCall, recordOutreachEvent } from './activity';
import { caseActor, noStore } from './http';
import { fieldErrorsFrom, many, num, one, orNull, orUndef, readForm, type FieldErrors, type FormFields } from './forms';
import {
  CaseListQuery,
  ConsentBody,
  ErasureBody,
  GoalBody,
  GoalPatchBody,
  HotlineCallBody,
  IdentityBody,
  NewCaseBody,
  OutreachBody,
  RevealQuery,
  ServiceBody,
  TransitionBody,
} from './schemas';
import {
  AGE_BAND_LABELS,
  AUDIENCE_LABELS,
  CALLER_LABELS,
  GENDER_LABELS,
  HOUSEHOLD_LABELS,
  label,
  OUTCOME_LABELS,
  OUTREACH_LABELS,
  REVEAL_REASON_LABELS,
  STATUS_LABELS,
  TOPIC_LABELS,
  TXT,
  URGENCY_LABELS,
} from './labels';
import { Checkboxes, CasePage, FormAlert, Input, opts, RadioTiles, Select, StatusBadge, type FormState } from './views';

export const casePages = new Hono<AppEnv>();

const CASE_WORK: readonly Role[] = ['admin', 'caseworker'];
const ACTIVITY_WRITE: readonly Role[] = ['admin', 'coordinator', 'caseworker'];
type C = Context<AppEnv>;

function render(c: C, title: string, body: Child, status: 200 | 400 | 403 | 404 | 409 = 200) {
  const org = c.get('org');
  const locale = c.get('locale');
  return c.html(
    <Layout title={title} locale={locale} path={c.req.path} signedIn orgSlug={org.slug} orgName={org.name} nav={orgNavItems(locale, org.slug, org.roles)}>
      {body}
    </Layout>,
    status,
  );
}

/** Location options, indented by depth; only those in `scope` when given. */
async function locationOptions(db: Db, orgId: string, scope: 'all' | readonly string[] = 'all') {
  const rows = await listLocations(db, orgId);
  return rows
    .filter((r) => inScope(scope, r.id))
    .map((r) => [r.id, `${'· '.repeat(Math.max(0, r.path.split('/').filter(Boolean).length - 1))}${r.name}`] as const);
}

async function categoryInfo(db: Db, orgId: string) {
  const rows = await listCategories(db, orgId);
  const labels: Record<string, { vi: string; en: string }> = {};
  for (const r of rows) labels[r.key] = { vi: r.labelVi, en: r.labelEn };
  return { rows, labels };
}

const canWorkCases = (roles: readonly Role[]) => roles.some((r) => CASE_WORK.includes(r));

// ---------------------------------------------------------------------------------------------
// Case list

casePages.get('/o/:org/cases', requireOrgRole(STAFF_READ), async (c) => {
  const locale = c.get('locale');
  const L = (x: { vi: string; en: string }) => pick(locale, x);
  const org = c.get('org');
  const db = c.get('db');
  const actor = caseActor(c);
  const raw = c.req.query();
  const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
  const parsed = CaseListQuery.safeParse(clean);
  const filters = parsed.success ? parsed.data : {};
  const limit = 50;
  const offset = parsed.success ? (parsed.data.offset ?? 0) : 0;
  const { items, total } = await listCases(db, actor, { ...filters, limit, offset });
  const cats = await categoryInfo(db, org.id);
  const scope = await caseScope(db, actor);
  const locs = await locationOptions(db, org.id, scope.read);
  const qs = (o: number) => {
    const p = new URLSearchParams({ ...clean, offset: String(o) });
    return `/o/${org.slug}/cases?${p.toString()}`;
  };
  return render(
    c,
    L(TXT.cases),
    <>
      <div class="row between">
        <h1>{L(TXT.cases)}</h1>
        {canWorkCases(org.roles) ? (
          <a class="button" href={`/o/${org.slug}/cases/new`}>
            {L(TXT.newCase)}
          </a>
        ) : null}
      </div>
      {!parsed.success ? (
        <p class="error" role="alert">
          {pick(locale, { vi: 'Bộ lọc không hợp lệ đã được bỏ qua.', en: 'Invalid filters were ignored.' })}
        </p>
      ) : null}
      <form method="get" action={`/o/${org.slug}/cases`} class="filters" aria-label={L(TXT.filter)}>
        <Select name="status" label={L(TXT.status)} empty={L(TXT.all)} options={opts(['open', ...CASE_STATUSES], STATUS_LABELS, locale)} value={raw.status} />
        <Select name="category" label={L(TXT.category)} empty={L(TXT.all)} options={cats.rows.map((r) => [r.key, locale === 'vi' ? r.labelVi : r.labelEn] as const)} value={raw.category} />
        <Select name="locationId" label={L(TXT.location)} empty={L(TXT.all)} options={locs} value={raw.locationId} />
        <Select name="ageBand" label={L(TXT.ageBand)} empty={L(TXT.all)} options={opts(AGE_BANDS, AGE_BAND_LABELS, locale)} value={raw.ageBand} />
        <Input name="code" label={L(TXT.code)} value={raw.code ?? ''} />
        <div class="filters-go">
          <button type="submit">{L(TXT.filter)}</button>
        </div>
      </form>
      <p class="muted" data-total={total}>
        {L(TXT.total)}: {formatNumber(total, locale)}
      </p>
      {items.length === 0 ? (
        <p>{L(TXT.none)}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>{L(TXT.code)}</th>
                <th>{L(TXT.status)}</th>
                <th>{L(TXT.ageBand)}</th>
                <th>{L(TXT.gender)}</th>
                <th>{L(TXT.categories)}</th>
                <th>{L(TXT.location)}</th>
                <th>{L(TXT.urgency)}</th>
                <th>{L(TXT.openedOn)}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr data-case={i.code}>
                  <td data-label={L(TXT.code)}>
                    <a href={`/o/${org.slug}/cases/${i.id}`}>{i.code}</a>
                  </td>
                  <td data-label={L(TXT.status)}>
                    <StatusBadge status={i.status} locale={locale} />
                  </td>
                  <td data-label={L(TXT.ageBand)}>{label(AGE_BAND_LABELS, i.ageBand, locale)}</td>
                  <td data-label={L(TXT.gender)}>{label(GENDER_LABELS, i.gender, locale)}</td>
                  <td data-label={L(TXT.categories)}>{i.categories.map((k) => (cats.labels[k] ? L(cats.labels[k]!) : k)).join(', ')}</td>
                  <td data-label={L(TXT.location)}>{i.locationName}</td>
                  <td data-label={L(TXT.urgency)}>{label(URGENCY_LABELS, i.urgency, locale)}</td>
                  <td data-label={L(TXT.openedOn)}>{formatDate(i.openedAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="row" aria-label="pages">
        {offset > 0 ? <a href={qs(Math.max(0, offset - limit))}>{L(TXT.prev)}</a> : null}
        {offset + limit < total ? <a href={qs(offset + limit)}>{L(TXT.next)}</a> : null}
      </nav>
    </>,
  );
});

// ---------------------------------------------------------------------------------------------
// New case

async function newCaseForm(c: C, values: FormFields, errors: FieldErrors, message?: string, status: 200 | 400 = 200) {
  const locale = c.get('locale');
  const L = (x: { vi: string; en: string }) => pick(locale, x);
  const org = c.get('org');
  const db = c.get('db');
  const actor = caseActor(c);
  const scope = await caseScope(db, actor);
  const locs = await locationOptions(db, org.id, scope.work);
  const cats = await categoryInfo(db, org.id);
  const val = (k: string) => one(values, k);
  const today = vnDate(actor.now);
  return render(
    c,
    L(TXT.newCase),
    <>
      <h1>{L(TXT.newCase)}</h1>
      <form method="post" action={`/o/${org.slug}/cases/new`} class="stack wide" novalidate>
        <FormAlert message={message} />
        <fieldset>
          <legend>{L(TXT.attributes)}</legend>
          <div class="grid2">
            <Input name="birthYear" label={L(TXT.birthYear)} type="number" inputmode="numeric" min={1900} max={today.slice(0, 4)} value={val('birthYear')} error={errors.birthYear} required />
            <Select name="gender" label={L(TXT.gender)} options={opts(GENDERS, GENDER_LABELS, locale)} value={val('gender')} error={errors.gender} />
          </div>
          <Select name="locationId" label={L(TXT.location)} empty="—" options={locs} value={val('locationId')} error={errors.locationId} required />
          <Checkboxes
            name="categories"
            legend={L(TXT.categories)}
            options={cats.rows.filter((r) => r.active).map((r) => [r.key, locale === 'vi' ? r.labelVi : r.labelEn] as const)}
            values={many(values, 'categories')}
            error={errors.categories}
          />
          <div class="grid2">
            <Select name="household" label={L(TXT.household)} options={opts(HOUSEHOLD_SITUATIONS, HOUSEHOLD_LABELS, locale)} value={val('household') || 'unknown'} error={errors.household} />
            <Select name="urgency" label={L(TXT.urgency)} options={opts(URGENCIES, URGENCY_LABELS, locale)} value={val('urgency') || 'medium'} error={errors.urgency} />
          </div>
          <Input name="openedOn" label={L(TXT.openedOn)} type="date" max={today} value={val('openedOn') || today} error={errors.openedOn} />
        </fieldset>
        <fieldset class="sensitive">
          <legend>{L(TXT.identityOptional)}</legend>
          <IdentityFields locale={locale} values={values} errors={errors} prefix="identity." />
        </fieldset>
        <button type="submit" class="block">
          {L(TXT.createCase)}
        </button>
      </form>
    </>,
    status,
  );
}

function IdentityFields(props: { locale: Locale; values: FormFields; errors: FieldErrors; prefix: string }) {
  const L = (x: { vi: string; en: string }) => pick(props.locale, x);
  const f = (k: string) => ({ name: `${props.prefix}${k}`, id: `f-id-${k}`, value: one(props.values, `${props.prefix}${k}`), error: props.errors[`${props.prefix}${k}`] });
  return (
    <>
      <Input {...f('fullName')} label={L(TXT.fullName)} />
      <Input {...f('birthDate')} label={L(TXT.birthDate)} type="date" />
      <Input {...f('address')} label={L(TXT.address)} />
      <div class="grid2">
        <Input {...f('guardianName')} label={L(TXT.guardianName)} />
        <Input {...f('guardianRelation')} label={L(TXT.guardianRelation)} />
      </div>
      <Input {...f('guardianPhone')} label={L(TXT.guardianPhone)} type="tel" inputmode="tel" />
    </>
  );
}

function identityFromForm(f: FormFields, prefix: string) {
  const g = (k: string) => orNull(one(f, `${prefix}${k}`));
  return {
    fullName: g('fullName'),
    birthDate: g('birthDate'),
    address: g('address'),
    guardianName: g('guardianName'),
    guardianRelation: g('guardianRelation'),
    guardianPhone: g('guardianPhone'),
  };
}

casePages.get('/o/:org/cases/new', requireOrgRole(CASE_WORK), (c) => newCaseForm(c, {}, {}));

casePages.post('/o/:org/cases/new', requireOrgRole(CASE_WORK), async (c) => {
  const locale = c.get('locale');
  const form = await readForm(c.req);
  const input = {
    birthYear: num(one(form, 'birthYear')),
    gender: one(form, 'gender'),
    locationId: one(form, 'locationId'),
    categories: many(form, 'categories'),
    household: orUndef(one(form, 'household')),
    urgency: orUndef(one(form, 'urgency')),
    openedOn: orNull(one(form, 'openedOn')),
    identity: identityFromForm(form, 'identity.'),
  };
  const parsed = NewCaseBody.safeParse(input);
  try {
    if (!parsed.success) throw parsed.error;
    const row = await createCase(c.get('db'), caseActor(c), parsed.data);
    return c.redirect(`/o/${c.get('org').slug}/cases/${row.id}?done=created`, 303);
  } catch (err) {
    const errors = fieldErrorsFrom(err, locale);
    if (!errors) throw err;
    return newCaseForm(c, form, errors, pick(locale, TXT.fixErrors), 400);
  }
});

// ---------------------------------------------------------------------------------------------
// Case page

const NOTICES: Record<string, { vi: string; en: string }> = {
  created: { vi: 'Đã mở hồ sơ.', en: 'Case opened.' },
  service: TXT.serviceLogged,
  saved: TXT.saved,
};

async function showCase(c: C, opts: { identity?: CaseIdentity; revealReason?: string; state?: FormState; status?: 200 | 400 | 409 } = {}) {
  const locale = c.get('locale');
  const org = c.get('org');
  const db = c.get('db');
  const actor = caseActor(c);
  const detail = await caseDetail(db, actor, c.req.param('id')!);
  const cats = await categoryInfo(db, org.id);
  const members = detail.canWork ? (await listMembers(db, org.id)).filter((m) => m.roles.some((r) => r === 'caseworker' || r === 'admin' || r === 'coordinator')) : [];
  const done = c.req.query('done');
  return render(
    c,
    `${pick(locale, TXT.code)} ${detail.case.code}`,
    <CasePage
      locale={locale}
      orgSlug={org.slug}
      detail={detail}
      categoryLabels={cats.labels}
      members={members.map((m) => ({ userId: m.userId, name: m.name }))}
      isAdmin={org.roles.includes('admin')}
      selfId={actor.userId}
      today={vnDate(actor.now)}
      identity={opts.identity}
      revealReason={opts.revealReason}
      notice={!opts.state && done && NOTICES[done] ? pick(locale, NOTICES[done]!) : undefined}
      state={opts.state}
    />,
    opts.status ?? 200,
  );
}

casePages.get('/o/:org/cases/:id', requireOrgRole(STAFF_READ), async (c) => {
  const locale = c.get('locale');
  const q = RevealQuery.safeParse({ reveal: c.req.query('reveal') || undefined, reason: c.req.query('reason') || undefined });
  if (!q.success || (q.data.reveal === 'identity' && !q.data.reason)) {
    throw new ProblemError(400, pick(locale, { vi: 'Hãy chọn lý do xem thông tin nhận dạng.', en: 'Choose a reason to see identifying information.' }));
  }
  if (q.data.reveal === 'identity') {
    const identity = await revealIdentity(c.get('db'), caseActor(c), c.req.param('id'), q.data.reason!, 'page');
    noStore(c);
    return showCase(c, { identity, revealReason: q.data.reason });
  }
  return showCase(c);
});

/** Runs a case-page form: redirect on success; on bad input or a conflict, the page again with the form's values. */
async function caseForm(c: C, form: FormState['form'], run: (values: FormFields, actor: CaseActor) => Promise<string>) {
  const locale = c.get('locale');
  const values = await readForm(c.req);
  try {
    const done = await run(values, caseActor(c));
    return c.redirect(`/o/${c.get('org').slug}/cases/${c.req.param('id')}?done=${done}`, 303);
  } catch (err) {
    if (err instanceof ProblemError && err.status === 409) {
      const message = form === 'service' ? pick(locale, TXT.closedCaseHint) : locale === 'vi' ? `Không thực hiện được: ${conflictVi(err)}` : (err.detail ?? 'Conflict');
      return showCase(c, { state: { form, values, errors: {}, message }, status: 409 });
    }
    const errors = fieldErrorsFrom(err, locale);
    if (!errors) throw err;
    return showCase(c, { state: { form, values, errors, message: pick(locale, TXT.fixErrors) }, status: 400 });
  }
}

function conflictVi(err: ProblemError): string {
  const d = err.detail ?? '';
  if (/already closed/.test(d)) return 'hồ sơ đã đóng.';
  if (/already erased/.test(d)) return 'thông tin nhận dạng đã được xóa.';
  if (/cannot move/.test(d)) return 'không thể chuyển sang giai đoạn này từ giai đoạn hiện tại.';
  if (/already in/.test(d)) return 'hồ sơ đang ở giai đoạn này.';
  if (/closed/.test(d)) return 'hồ sơ đã đóng, hãy mở lại trước.';
  return 'dữ liệu đã thay đổi, hãy tải lại trang.';
}

casePages.post('/o/:org/cases/:id/services', requireOrgRole(CASE_WORK), (c) =>
  caseForm(c, 'service', async (f, actor) => {
    const input = ServiceBody.parse({
      kind: one(f, 'kind') || undefined,
      on: orNull(one(f, 'on')),
      durationMinutes: num(one(f, 'durationMinutes')),
      staffUserId: orNull(one(f, 'staffUserId')),
      referralTo: orNull(one(f, 'referralTo')),
      note: orNull(one(f, 'note')),
    });
    await logService(c.get('db'), actor, c.req.param('id'), input);
    return 'service#services';
  }),
);

casePages.post('/o/:org/cases/:id/transition', requireOrgRole(CASE_WORK), (c) =>
  caseForm(c, 'transition', async (f, actor) => {
    const input = TransitionBody.parse({ to: one(f, 'to') || undefined, closureReason: orNull(one(f, 'closureReason')), on: orNull(one(f, 'on')) });
    await transitionCase(c.get('db'), actor, c.req.param('id'), input);
    return 'saved';
  }),
);

casePages.post('/o/:org/cases/:id/goals', requireOrgRole(CASE_WORK), (c) =>
  caseForm(c, 'goal', async (f, actor) => {
    const input = GoalBody.parse({ description: one(f, 'description'), targetDate: orNull(one(f, 'targetDate')) });
    await addGoal(c.get('db'), actor, c.req.param('id'), input);
    return 'saved';
  }),
);

casePages.post('/o/:org/cases/:id/goals/:goalId', requireOrgRole(CASE_WORK), (c) =>
  caseForm(c, 'goal', async (f, actor) => {
    const input = GoalPatchBody.parse({ status: one(f, 'status') || undefined });
    await setGoalStatus(c.get('db'), actor, c.req.param('id'), c.req.param('goalId'), input.status);
    return 'saved';
  }),
);

casePages.post('/o/:org/cases/:id/consents', requireOrgRole(CASE_WORK), (c) =>
  caseForm(c, 'consent', async (f, actor) => {
    const input = ConsentBody.parse({
      kind: one(f, 'kind') || undefined,
      action: one(f, 'action') || undefined,
      on: orNull(one(f, 'on')),
      givenByRelation: one(f, 'givenByRelation') || undefined,
      givenByName: orNull(one(f, 'givenByName')),
    });
    await recordConsent(c.get('db'), actor, c.req.param('id'), input);
    return 'saved';
  }),
);

casePages.post('/o/:org/cases/:id/erase', requireOrgRole(['admin']), (c) =>
  caseForm(c, 'erase', async (f, actor) => {
    const input = ErasureBody.parse({ reason: one(f, 'reason') || undefined });
    if (one(f, 'confirm') !== 'yes') {
      throw new ProblemError(400, 'Confirm the erasure.', { errors: [{ path: 'confirm', message: 'tick to confirm' }] });
    }
    await eraseCaseIdentity(c.get('db'), actor, c.req.param('id'), input.reason);
    return 'saved';
  }),
);

// Editing identifying data shows the current values: that is a read, audited with its reason.
casePages.get('/o/:org/cases/:id/identity', requireOrgRole(CASE_WORK), async (c) => {
  const locale = c.get('locale');
  const reason = RevealQuery.shape.reason.safeParse(c.req.query('reason') || undefined);
  if (!reason.success || !reason.data) {
    throw new ProblemError(400, pick(locale, { vi: 'Hãy chọn lý do xem thông tin nhận dạng.', en: 'Choose a reason to see identifying information.' }));
  }
  const identity = await revealIdentity(c.get('db'), caseActor(c), c.req.param('id'), reason.data, 'page');
  noStore(c);
  const values: FormFields = {
    'identity.fullName': identity.fullName ?? '',
    'identity.birthDate': identity.birthDate ?? '',
    'identity.address': identity.address ?? '',
    'identity.guardianName': identity.guardianName ?? '',
    'identity.guardianRelation': identity.guardianRelation ?? '',
    'identity.guardianPhone': identity.guardianPhone ?? '',
  };
  return identityForm(c, values, {}, pick(locale, REVEAL_REASON_LABELS[reason.data]));
});

async function identityForm(c: C, values: FormFields, errors: FieldErrors, reasonLabel?: string, message?: string, status: 200 | 400 | 409 = 200) {
  const locale = c.get('locale');
  const L = (x: { vi: string; en: string }) => pick(locale, x);
  const org = c.get('org');
  const id = c.req.param('id');
  return render(
    c,
    L(TXT.identity),
    <>
      <h1>{L(TXT.identity)}</h1>
      <p class="muted">
        {L(TXT.identityHint)} {reasonLabel ? `(${L(TXT.reason)}: ${reasonLabel})` : ''}
      </p>
      <form method="post" action={`/o/${org.slug}/cases/${id}/identity`} class="stack sensitive" novalidate>
        <FormAlert message={message} />
        <IdentityFields locale={locale} values={values} errors={errors} prefix="identity." />
        <button type="submit">{L(TXT.save)}</button>
        <a href={`/o/${org.slug}/cases/${id}`}>{L(TXT.hide)}</a>
      </form>
    </>,
    status,
  );
}

casePages.post('/o/:org/cases/:id/identity', requireOrgRole(CASE_WORK), async (c) => {
  const locale = c.get('locale');
  const form = await readForm(c.req);
  try {
    const input = IdentityBody.parse(identityFromForm(form, 'identity.'));
    await updateIdentity(c.get('db'), caseActor(c), c.req.param('id'), input);
    return c.redirect(`/o/${c.get('org').slug}/cases/${c.req.param('id')}?done=saved`, 303);
  } catch (err) {
    if (err instanceof ProblemError && err.status === 409) {
      return identityForm(c, form, {}, undefined, pick(locale, { vi: 'Thông tin nhận dạng đã được xóa, không thể nhập lại.', en: err.detail ?? 'Conflict' }), 409);
    }
    const errors = fieldErrorsFrom(err, locale);
    if (!errors) throw err;
    const prefixed = Object.fromEntries(Object.entries(errors).map(([k, v]) => [`identity.${k}`, v]));
    return identityForm(c, form, prefixed, undefined, pick(locale, TXT.fixErrors), 400);
  }
});

// ---------------------------------------------------------------------------------------------
// Hotline

async function hotlinePage(c: C, values: FormFields, errors: FieldErrors, message?: string, status: 200 | 400 = 200) {
  const locale = c.get('locale');
  const L = (x: { vi: string; en: string }) => pick(locale, x);
  const org = c.get('org');
  const db = c.get('db');
  const now = c.get('deps').clock.now();
  const year = vnDate(now).slice(0, 4);
  const calls = await listHotlineCalls(db, org.id, { from: `${year}-01-01`, to: `${year}-12-31`, limit: 30 });
  const locs = await locationOptions(db, org.id);
  const val = (k: string) => one(values, k);
  const nowLocal = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
  const done = c.req.query('done') === 'call';
  return render(
    c,
    L(TXT.hotline),
    <>
      <h1>{L(TXT.hotline)}</h1>
      <p class="muted">{L(TXT.callsHint)}</p>
      {done && !message ? (
        <p class="ok" role="status">
          {L(TXT.callLogged)}
        </p>
      ) : null}
      <div class="cards">
        <div class="card" data-count="calls-year">
          <div class="n">{formatNumber(calls.total, locale)}</div>
          <div class="l">
            {L(TXT.calls)} {year}
          </div>
        </div>
      </div>
      {org.roles.some((r) => ACTIVITY_WRITE.includes(r)) ? (
        <form method="post" action={`/o/${org.slug}/hotline`} class="stack" novalidate>
          <h2>{L(TXT.logCall)}</h2>
          <FormAlert message={message} />
          <div class="grid2">
            <Input name="receivedAt" label={L(TXT.receivedAt)} type="datetime-local" value={val('receivedAt') || nowLocal} error={errors.receivedAt} />
            <Select name="durationMinutes" label={L(TXT.duration)} options={['2', '5', '10', '15', '20', '30', '45', '60'].map((m) => [m, m] as const)} value={val('durationMinutes') || '10'} error={errors.durationMinutes} />
          </div>
          <RadioTiles name="callerType" legend={L(TXT.callerType)} options={opts(CALLER_TYPES, CALLER_LABELS, locale)} value={val('callerType')} error={errors.callerType} />
          <Select name="topic" label={L(TXT.topic)} empty="—" options={opts(CALL_TOPICS, TOPIC_LABELS, locale)} value={val('topic')} error={errors.topic} />
          <Select name="outcome" label={L(TXT.outcome)} empty="—" options={opts(CALL_OUTCOMES, OUTCOME_LABELS, locale)} value={val('outcome')} error={errors.outcome} />
          <Select name="locationId" label={L(TXT.location)} empty="—" options={locs} value={val('locationId')} error={errors.locationId} />
          <Input name="caseCode" label={L(TXT.caseCode)} value={val('caseCode')} error={errors.caseCode} />
          <button type="submit" class="block">
            {L(TXT.logCall)}
          </button>
        </form>
      ) : null}
      <h2>{L(TXT.calls)}</h2>
      <div class="table-wrap">
        <table class="cards-sm">
          <thead>
            <tr>
              <th>{L(TXT.receivedAt)}</th>
              <th>{L(TXT.callerType)}</th>
              <th>{L(TXT.topic)}</th>
              <th>{L(TXT.outcome)}</th>
              <th>{L(TXT.location)}</th>
              <th>{L(TXT.code)}</th>
            </tr>
          </thead>
          <tbody>
            {calls.items.map((i) => (
              <tr>
                <td data-label={L(TXT.receivedAt)}>{formatDate(i.receivedAt, locale)}</td>
                <td data-label={L(TXT.callerType)}>{label(CALLER_LABELS, i.callerType, locale)}</td>
                <td data-label={L(TXT.topic)}>{label(TOPIC_LABELS, i.topic, locale)}</td>
                <td data-label={L(TXT.outcome)}>{label(OUTCOME_LABELS, i.outcome, locale)}</td>
                <td data-label={L(TXT.location)}>{i.locationName ?? '—'}</td>
                <td data-label={L(TXT.code)}>{i.caseCode ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
    status,
  );
}

casePages.get('/o/:org/hotline', requireOrgRole(STAFF_READ), (c) => hotlinePage(c, {}, {}));

casePages.post('/o/:org/hotline', requireOrgRole(ACTIVITY_WRITE), async (c) => {
  const locale = c.get('locale');
  const form = await readForm(c.req);
  try {
    const local = one(form, 'receivedAt');
    // datetime-local has no zone: it is Vietnam time.
    const receivedAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+07:00` : orNull(local);
    const input = HotlineCallBody.parse({
      receivedAt,
      durationMinutes: num(one(form, 'durationMinutes')),
      callerType: one(form, 'callerType') || undefined,
      topic: one(form, 'topic') || undefined,
      outcome: one(form, 'outcome') || undefined,
      locationId: orNull(one(form, 'locationId')),
      caseCode: orNull(one(form, 'caseCode')),
    });
    await logHotlineCall(c.get('db'), caseActor(c), { ...input, receivedAt: input.receivedAt ? new Date(input.receivedAt) : null });
    return c.redirect(`/o/${c.get('org').slug}/hotline?done=call`, 303);
  } catch (err) {
    const errors = fieldErrorsFrom(err, locale);
    if (!errors) throw err;
    return hotlinePage(c, form, errors, pick(locale, TXT.fixErrors), 400);
  }
});

// ---------------------------------------------------------------------------------------------
// Outreach

async function outreachPage(c: C, values: FormFields, errors: FieldErrors, message?: string, status: 200 | 400 = 200) {
  const locale = c.get('locale');
  const L = (x: { vi: string; en: string }) => pick(locale, x);
  const org = c.get('org');
  const db = c.get('db');
  const today = vnDate(c.get('deps').clock.now());
  const qYear = c.req.query('year');
  const year = qYear && /^\d{4}$/.test(qYear) ? qYear : today.slice(0, 4);
  const events = await listOutreachEvents(db, org.id, { from: `${year}-01-01`, to: `${year}-12-31`, limit: 200 });
  const locs = await locationOptions(db, org.id);
  const val = (k: string) => one(values, k);
  const done = c.req.query('done') === 'event';
  const t = events.totals;
  return render(
    c,
    L(TXT.outreach),
    <>
      <h1>{L(TXT.outreach)}</h1>
      {done && !message ? (
        <p class="ok" role="status">
          {L(TXT.eventRecorded)}
        </p>
      ) : null}
      <form method="get" action={`/o/${org.slug}/outreach`} class="row">
        <div>
          <label for="f-year">{L(TXT.year)}</label>
          <input id="f-year" name="year" type="number" inputmode="numeric" min="2000" max={today.slice(0, 4)} value={year} />
        </div>
        <div class="filters-go">
          <button type="submit" class="secondary">
            {L(TXT.filter)}
          </button>
        </div>
      </form>
      <div class="cards">
        {(
          [
            ['events', L(TXT.events), t.events],
            ['participants', L(TXT.participants), t.participants],
            ['leaflets', L(TXT.leaflets), t.leaflets],
            ['posters', L(TXT.posters), t.posters],
            ['questionnaires', L(TXT.questionnaires), t.questionnaires],
          ] as const
        ).map(([k, l, n]) => (
          <div class="card" data-count={k}>
            <div class="n">{formatNumber(n, locale)}</div>
            <div class="l">{l}</div>
          </div>
        ))}
      </div>
      {org.roles.some((r) => ACTIVITY_WRITE.includes(r)) ? (
        <form method="post" action={`/o/${org.slug}/outreach`} class="stack" novalidate>
          <h2>{L(TXT.recordEvent)}</h2>
          <FormAlert message={message} />
          <Select name="kind" label={L(TXT.eventKind)} empty="—" options={opts(OUTREACH_KINDS, OUTREACH_LABELS, locale)} value={val('kind')} error={errors.kind} />
          <Input name="title" label={L(TXT.title)} value={val('title')} error={errors.title} />
          <div class="grid2">
            <Input name="heldOn" label={L(TXT.date)} type="date" max={today} value={val('heldOn') || today} error={errors.heldOn} />
            <Select name="locationId" label={L(TXT.location)} empty={L(TXT.wholeProvince)} options={locs} value={val('locationId')} error={errors.locationId} />
          </div>
          <div class="grid2">
            <Select name="audienceType" label={L(TXT.audienceType)} empty="—" options={opts(AUDIENCE_TYPES, AUDIENCE_LABELS, locale)} value={val('audienceType')} error={errors.audienceType} />
            <Input name="participants" label={L(TXT.participants)} type="number" inputmode="numeric" min={0} value={val('participants')} error={errors.participants} />
          </div>
          <div class="grid3">
            <Input name="leaflets" label={L(TXT.leaflets)} type="number" inputmode="numeric" min={0} value={val('leaflets') || '0'} error={errors.leaflets} />
            <Input name="posters" label={L(TXT.posters)} type="number" inputmode="numeric" min={0} value={val('posters') || '0'} error={errors.posters} />
            <Input name="questionnaires" label={L(TXT.questionnaires)} type="number" inputmode="numeric" min={0} value={val('questionnaires') || '0'} error={errors.questionnaires} />
          </div>
          <button type="submit" class="block">
            {L(TXT.recordEvent)}
          </button>
        </form>
      ) : null}
      <h2>{L(TXT.events)}</h2>
      <div class="table-wrap">
        <table class="cards-sm">
          <thead>
            <tr>
              <th>{L(TXT.date)}</th>
              <th>{L(TXT.eventKind)}</th>
              <th>{L(TXT.title)}</th>
              <th>{L(TXT.audienceType)}</th>
              <th class="num">{L(TXT.participants)}</th>
              <th class="num">{L(TXT.leaflets)}</th>
              <th class="num">{L(TXT.posters)}</th>
              <th class="num">{L(TXT.questionnaires)}</th>
            </tr>
          </thead>
          <tbody>
            {events.items.map((i) => (
              <tr>
                <td data-label={L(TXT.date)}>{formatDate(i.heldOn, locale)}</td>
                <td data-label={L(TXT.eventKind)}>{label(OUTREACH_LABELS, i.kind, locale)}</td>
                <td data-label={L(TXT.title)}>
                  {i.title}
                  {i.locationName ? <span class="muted"> · {i.locationName}</span> : null}
                </td>
                <td data-label={L(TXT.audienceType)}>{label(AUDIENCE_LABELS, i.audienceType, locale)}</td>
                <td class="num" data-label={L(TXT.participants)}>{formatNumber(i.participants, locale)}</td>
                <td class="num" data-label={L(TXT.leaflets)}>{formatNumber(i.leaflets, locale)}</td>
                <td class="num" data-label={L(TXT.posters)}>{formatNumber(i.posters, locale)}</td>
                <td class="num" data-label={L(TXT.questionnaires)}>{formatNumber(i.questionnaires, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
    status,
  );
}

casePages.get('/o/:org/outreach', requireOrgRole(STAFF_READ), (c) => outreachPage(c, {}, {}));

casePages.post('/o/:org/outreach', requireOrgRole(ACTIVITY_WRITE), async (c) => {
  const locale = c.get('locale');
  const form = await readForm(c.req);
  try {
    const input = OutreachBody.parse({
      kind: one(form, 'kind') || undefined,
      heldOn: one(form, 'heldOn') || undefined,
      title: one(form, 'title'),
      locationId: orNull(one(form, 'locationId')),
      audienceType: one(form, 'audienceType') || undefined,
      participants: num(one(form, 'participants')),
      leaflets: num(one(form, 'leaflets')),
      posters: num(one(form, 'posters')),
      questionnaires: num(one(form, 'questionnaires')),
    });
    await recordOutreachEvent(c.get('db'), caseActor(c), input);
    return c.redirect(`/o/${c.get('org').slug}/outreach?done=event`, 303);
  } catch (err) {
    const errors = fieldErrorsFrom(err, locale);
    if (!errors) throw err;
    return outreachPage(c, form, errors, pick(locale, TXT.fixErrors), 400);
  }
});
