import type { Child } from 'hono/jsx';
import type { Locale } from '../ui/i18n';
import { formatDate, formatNumber, pick } from '../ui/i18n';
import {
  CLOSURE_REASONS,
  CONSENT_ACTIONS,
  CONSENT_GIVERS,
  CONSENT_KINDS,
  ERASURE_REASONS,
  GOAL_STATUSES,
  SERVICE_KINDS,
  type CaseStatus,
} from '../db/schema';
import { NEXT_STATUSES, type CaseDetail } from './cases';
import type { CaseIdentity } from './identity';
import type { FieldErrors, FormFields } from './forms';
import {
  AGE_BAND_LABELS,
  CLOSURE_LABELS,
  CONSENT_ACTION_LABELS,
  CONSENT_KIND_LABELS,
  ERASURE_LABELS,
  GENDER_LABELS,
  GIVER_LABELS,
  GOAL_STATUS_LABELS,
  HOUSEHOLD_LABELS,
  label,
  REVEAL_REASON_LABELS,
  REVEAL_REASONS,
  SERVICE_LABELS,
  STATUS_LABELS,
  TXT,
  URGENCY_LABELS,
} from './labels';

// ---------------------------------------------------------------------------------------------
// Accessible form controls

type Opt = readonly [value: string, text: string];

const describedBy = (id: string, error?: string, hint?: string) =>
  [error ? `${id}-err` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;

export function FieldError(props: { id: string; msg?: string }) {
  return props.msg ? (
    <p class="field-error" id={`${props.id}-err`}>
      {props.msg}
    </p>
  ) : null;
}

export function Input(props: {
  name: string;
  label: string;
  id?: string;
  type?: string;
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  min?: string | number;
  max?: string | number;
  inputmode?: 'numeric' | 'tel' | 'text' | 'decimal' | 'email';
  autocomplete?: string;
}) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="muted small" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        min={props.min}
        max={props.max}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete ?? 'off'}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
      />
      <FieldError id={id} msg={props.error} />
    </div>
  );
}

export function TextArea(props: { name: string; label: string; id?: string; value?: string; error?: string; hint?: string; rows?: number }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="muted small" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 2}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
      >
        {props.value ?? ''}
      </textarea>
      <FieldError id={id} msg={props.error} />
    </div>
  );
}

export function Select(props: {
  name: string;
  label: string;
  id?: string;
  options: readonly Opt[];
  value?: string;
  error?: string;
  required?: boolean;
  empty?: string;
}) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <div>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.error)}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map(([v, t]) => (
          <option value={v} selected={v === props.value}>
            {t}
          </option>
        ))}
      </select>
      <FieldError id={id} msg={props.error} />
    </div>
  );
}

/** Big tap targets for a phone: one radio per option, laid out as tiles. */
export function RadioTiles(props: { name: string; legend: string; options: readonly Opt[]; value?: string; error?: string }) {
  const id = `f-${props.name}`;
  return (
    <fieldset class="tiles-set" aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props.error)}>
      <legend>{props.legend}</legend>
      <div class="tiles">
        {props.options.map(([v, t]) => (
          <label class="tile">
            <input type="radio" name={props.name} value={v} checked={v === props.value} required />
            <span>{t}</span>
          </label>
        ))}
      </div>
      <FieldError id={id} msg={props.error} />
    </fieldset>
  );
}

export function Checkboxes(props: { name: string; legend: string; options: readonly Opt[]; values: readonly string[]; error?: string }) {
  const id = `f-${props.name}`;
  return (
    <fieldset class="tiles-set" aria-describedby={describedBy(id, props.error)}>
      <legend>{props.legend}</legend>
      <div class="tiles">
        {props.options.map(([v, t]) => (
          <label class="tile">
            <input type="checkbox" name={props.name} value={v} checked={props.values.includes(v)} />
            <span>{t}</span>
          </label>
        ))}
      </div>
      <FieldError id={id} msg={props.error} />
    </fieldset>
  );
}

export const opts = (values: readonly string[], map: Record<string, { vi: string; en: string }>, locale: Locale): Opt[] =>
  values.map((v) => [v, label(map, v, locale)] as const);

export function FormAlert(props: { message?: string }) {
  return props.message ? (
    <p class="error" role="alert">
      {props.message}
    </p>
  ) : null;
}

export function StatusBadge(props: { status: string; locale: Locale }) {
  return <span class={`badge st-${props.status}`}>{label(STATUS_LABELS, props.status, props.locale)}</span>;
}

// ---------------------------------------------------------------------------------------------
// The case page

export interface FormState {
  form: 'service' | 'transition' | 'goal' | 'consent' | 'erase';
  values: FormFields;
  errors: FieldErrors;
  message?: string;
}

export interface CasePageProps {
  locale: Locale;
  orgSlug: string;
  detail: CaseDetail;
  categoryLabels: Record<string, { vi: string; en: string }>;
  members: { userId: string; name: string }[];
  isAdmin: boolean;
  selfId: string | null;
  today: string;
  identity?: CaseIdentity;
  revealReason?: string;
  notice?: string;
  state?: FormState;
}

const v = (s: FormState | undefined, form: FormState['form'], k: string, fallback = '') => {
  if (!s || s.form !== form) return fallback;
  const x = s.values[k];
  return (Array.isArray(x) ? x[0] : x) ?? fallback;
};
const e = (s: FormState | undefined, form: FormState['form'], k: string) => (s && s.form === form ? s.errors[k] : undefined);
const alertFor = (s: FormState | undefined, form: FormState['form']) => (s && s.form === form ? s.message : undefined);

export function CasePage(p: CasePageProps) {
  const { locale, detail, state } = p;
  const c = detail.case;
  const L = (x: { vi: string; en: string }) => pick(locale, x);
  const base = `/o/${p.orgSlug}/cases/${c.id}`;
  const closed = c.status === 'closed';
  return (
    <div class="case-page">
      <h1>
        {L(TXT.code)} {c.code} <StatusBadge status={c.status} locale={locale} />
      </h1>
      {p.notice ? (
        <p class="ok" role="status">
          {p.notice}
        </p>
      ) : null}
      {!detail.canWork ? <p class="notice">{L(TXT.noWork)}</p> : null}

      {detail.canWork ? (
        <section aria-labelledby="svc-form-h" class="panel" id="log-service">
          <h2 id="svc-form-h">{L(TXT.logService)}</h2>
          {closed ? (
            <p class="notice">{L(TXT.closedCaseHint)}</p>
          ) : (
            <form method="post" action={`${base}/services`} class="stack" novalidate>
              <FormAlert message={alertFor(state, 'service')} />
              <RadioTiles
                name="kind"
                legend={L(TXT.serviceKind)}
                options={opts(SERVICE_KINDS, SERVICE_LABELS, locale)}
                value={v(state, 'service', 'kind')}
                error={e(state, 'service', 'kind')}
              />
              <div class="grid2">
                <Input name="on" id="svc-on" type="date" label={L(TXT.date)} value={v(state, 'service', 'on', p.today)} max={p.today} error={e(state, 'service', 'on')} />
                <Select
                  name="durationMinutes"
                  id="svc-duration"
                  label={L(TXT.duration)}
                  options={['15', '30', '45', '60', '90', '120', '180', '240'].map((m) => [m, m] as const)}
                  value={v(state, 'service', 'durationMinutes', '60')}
                  error={e(state, 'service', 'durationMinutes')}
                />
              </div>
              <Select
                name="staffUserId"
                id="svc-staff"
                label={L(TXT.staffMember)}
                options={p.members.map((m) => [m.userId, m.name] as const)}
                value={v(state, 'service', 'staffUserId', p.selfId ?? '')}
                error={e(state, 'service', 'staffUserId')}
              />
              <Input name="referralTo" id="svc-referral" label={L(TXT.referralTo)} value={v(state, 'service', 'referralTo')} error={e(state, 'service', 'referralTo')} />
              <TextArea name="note" id="svc-note" label={L(TXT.note)} hint={L(TXT.noteHint)} value={v(state, 'service', 'note')} error={e(state, 'service', 'note')} />
              <button type="submit" class="block">
                {L(TXT.logService)}
              </button>
            </form>
          )}
        </section>
      ) : null}

      <section aria-labelledby="attr-h">
        <h2 id="attr-h">{L(TXT.attributes)}</h2>
        <dl class="kv">
          <dt>{L(TXT.status)}</dt>
          <dd>
            <StatusBadge status={c.status} locale={locale} />
            {c.closureReason ? ` · ${label(CLOSURE_LABELS, c.closureReason, locale)}` : ''}
          </dd>
          <dt>{L(TXT.ageBand)}</dt>
          <dd>
            {label(AGE_BAND_LABELS, c.ageBand, locale)} ({L(TXT.birthYear)} {c.birthYear})
          </dd>
          <dt>{L(TXT.gender)}</dt>
          <dd>{label(GENDER_LABELS, c.gender, locale)}</dd>
          <dt>{L(TXT.location)}</dt>
          <dd>{c.locationName}</dd>
          <dt>{L(TXT.categories)}</dt>
          <dd>
            {c.categories.length === 0
              ? '—'
              : c.categories.map((k) => <span class="badge">{p.categoryLabels[k] ? L(p.categoryLabels[k]!) : k}</span>)}
          </dd>
          <dt>{L(TXT.household)}</dt>
          <dd>{label(HOUSEHOLD_LABELS, c.household, locale)}</dd>
          <dt>{L(TXT.urgency)}</dt>
          <dd>{label(URGENCY_LABELS, c.urgency, locale)}</dd>
          <dt>{L(TXT.openedOn)}</dt>
          <dd>{formatDate(c.openedAt, locale)}</dd>
          {c.closedAt ? (
            <>
              <dt>{L(TXT.closedOn)}</dt>
              <dd>{formatDate(c.closedAt, locale)}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="hist-h">
        <h2 id="hist-h">{L(TXT.history)}</h2>
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>{L(TXT.date)}</th>
                <th>{L(TXT.from)}</th>
                <th>{L(TXT.to)}</th>
                <th>{L(TXT.by)}</th>
              </tr>
            </thead>
            <tbody>
              {detail.transitions.map((t) => (
                <tr>
                  <td data-label={L(TXT.date)}>{formatDate(t.at, locale)}</td>
                  <td data-label={L(TXT.from)}>{t.fromStatus ? label(STATUS_LABELS, t.fromStatus, locale) : '—'}</td>
                  <td data-label={L(TXT.to)}>
                    {label(STATUS_LABELS, t.toStatus, locale)}
                    {t.closureReason ? ` (${label(CLOSURE_LABELS, t.closureReason, locale)})` : ''}
                  </td>
                  <td data-label={L(TXT.by)}>{t.byName ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {detail.canWork ? (
          <form method="post" action={`${base}/transition`} class="stack" novalidate>
            <h3>{closed ? L(TXT.reopen) : L(TXT.moveTo)}</h3>
            <FormAlert message={alertFor(state, 'transition')} />
            <Select
              name="to"
              id="tr-to"
              label={L(TXT.nextStage)}
              options={NEXT_STATUSES[c.status as CaseStatus].map((s) => [s, label(STATUS_LABELS, s, locale)] as const)}
              value={v(state, 'transition', 'to')}
              error={e(state, 'transition', 'to')}
            />
            <Select
              name="closureReason"
              id="tr-reason"
              label={L(TXT.closureReason)}
              empty="—"
              options={opts(CLOSURE_REASONS, CLOSURE_LABELS, locale)}
              value={v(state, 'transition', 'closureReason')}
              error={e(state, 'transition', 'closureReason')}
            />
            <Input name="on" id="tr-on" type="date" label={L(TXT.date)} value={v(state, 'transition', 'on', p.today)} max={p.today} error={e(state, 'transition', 'on')} />
            <button type="submit">{L(TXT.save)}</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="plan-h">
        <h2 id="plan-h">{L(TXT.plan)}</h2>
        {detail.canWork ? (
          <ul class="plain">
            {detail.goals.map((g) => (
              <li class="goal">
                <form method="post" action={`${base}/goals/${g.id}`} class="row">
                  <span class="grow">
                    {g.description ?? '—'}
                    {g.targetDate ? <span class="muted"> · {formatDate(g.targetDate, locale)}</span> : null}
                  </span>
                  <label class="sr-only" for={`goal-${g.id}`}>
                    {L(TXT.status)}
                  </label>
                  <select id={`goal-${g.id}`} name="status">
                    {GOAL_STATUSES.map((s) => (
                      <option value={s} selected={s === g.status}>
                        {label(GOAL_STATUS_LABELS, s, locale)}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="secondary">
                    {L(TXT.save)}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p>
            {GOAL_STATUSES.map((s) => (
              <span class="badge">
                {label(GOAL_STATUS_LABELS, s, locale)}: {detail.goals.filter((g) => g.status === s).length}
              </span>
            ))}
          </p>
        )}
        {detail.canWork && !closed ? (
          <form method="post" action={`${base}/goals`} class="stack" novalidate>
            <FormAlert message={alertFor(state, 'goal')} />
            <Input name="description" id="goal-desc" label={L(TXT.goal)} hint={L(TXT.noteHint)} value={v(state, 'goal', 'description')} error={e(state, 'goal', 'description')} />
            <Input name="targetDate" id="goal-target" type="date" label={L(TXT.targetDate)} value={v(state, 'goal', 'targetDate')} error={e(state, 'goal', 'targetDate')} />
            <button type="submit" class="secondary">
              {L(TXT.addGoal)}
            </button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="svc-h" id="services">
        <h2 id="svc-h">
          {L(TXT.services)} <span class="muted">({formatNumber(detail.services.length, locale)})</span>
        </h2>
        <div class="table-wrap">
          <table class="cards-sm">
            <thead>
              <tr>
                <th>{L(TXT.date)}</th>
                <th>{L(TXT.serviceKind)}</th>
                <th class="num">{L(TXT.duration)}</th>
                <th>{L(TXT.staffMember)}</th>
                {detail.canWork ? <th>{L(TXT.note)}</th> : null}
              </tr>
            </thead>
            <tbody>
              {detail.services.map((s) => (
                <tr data-service={s.kind}>
                  <td data-label={L(TXT.date)}>{formatDate(s.deliveredOn, locale)}</td>
                  <td data-label={L(TXT.serviceKind)}>
                    {label(SERVICE_LABELS, s.kind, locale)}
                    {s.referralTo ? ` → ${s.referralTo}` : ''}
                  </td>
                  <td class="num" data-label={L(TXT.duration)}>{s.durationMinutes}</td>
                  <td data-label={L(TXT.staffMember)}>{s.staffName ?? '—'}</td>
                  {detail.canWork ? <td data-label={L(TXT.note)}>{s.note ?? ''}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="consent-h">
        <h2 id="consent-h">{L(TXT.consents)}</h2>
        <ul class="plain">
          {detail.consents.map((k) => (
            <li>
              {formatDate(k.givenOn, locale)} · {label(CONSENT_KIND_LABELS, k.kind, locale)} · {label(CONSENT_ACTION_LABELS, k.action, locale)} ·{' '}
              {label(GIVER_LABELS, k.givenByRelation, locale)}
            </li>
          ))}
        </ul>
        {detail.canWork ? (
          <form method="post" action={`${base}/consents`} class="stack" novalidate>
            <h3>{L(TXT.recordConsent)}</h3>
            <FormAlert message={alertFor(state, 'consent')} />
            <div class="grid2">
              <Select name="kind" id="consent-kind" label={L(TXT.consentKind)} options={opts(CONSENT_KINDS, CONSENT_KIND_LABELS, locale)} value={v(state, 'consent', 'kind')} error={e(state, 'consent', 'kind')} />
              <Select name="action" id="consent-action" label={L(TXT.consentAction)} options={opts(CONSENT_ACTIONS, CONSENT_ACTION_LABELS, locale)} value={v(state, 'consent', 'action')} error={e(state, 'consent', 'action')} />
            </div>
            <div class="grid2">
              <Select name="givenByRelation" id="consent-giver" label={L(TXT.givenBy)} options={opts(CONSENT_GIVERS, GIVER_LABELS, locale)} value={v(state, 'consent', 'givenByRelation')} error={e(state, 'consent', 'givenByRelation')} />
              <Input name="on" id="consent-on" type="date" label={L(TXT.date)} value={v(state, 'consent', 'on', p.today)} max={p.today} error={e(state, 'consent', 'on')} />
            </div>
            <Input name="givenByName" id="consent-name" label={L(TXT.givenByName)} value={v(state, 'consent', 'givenByName')} error={e(state, 'consent', 'givenByName')} />
            <button type="submit" class="secondary">
              {L(TXT.recordConsent)}
            </button>
          </form>
        ) : null}
      </section>

      {detail.canWork ? (
        <section aria-labelledby="id-h" class="sensitive" id="identity">
          <h2 id="id-h">{L(TXT.identity)}</h2>
          <p class="muted">{L(TXT.identityHint)}</p>
          {detail.erasure ? (
            <p class="notice">
              {L(TXT.erased)} · {L(TXT.erasedOn)} {formatDate(detail.erasure.erasedAt, locale)} ({label(ERASURE_LABELS, detail.erasure.reason, locale)})
            </p>
          ) : null}
          {p.identity ? (
            <IdentityBlock locale={locale} identity={p.identity} hideHref={base} editHref={detail.erasure ? undefined : `${base}/identity?reason=${p.revealReason ?? 'service_delivery'}`} />
          ) : (
            <form method="get" action={base} class="row" id="reveal-form">
              <input type="hidden" name="reveal" value="identity" />
              <div class="grow">
                <Select
                  name="reason"
                  id="reveal-reason"
                  label={L(TXT.reason)}
                  options={REVEAL_REASONS.map((r) => [r, pick(locale, REVEAL_REASON_LABELS[r])] as const)}
                />
              </div>
              <button type="submit" class="secondary">
                {L(TXT.reveal)}
              </button>
            </form>
          )}
        </section>
      ) : null}

      {detail.canWork ? (
        <section aria-labelledby="rights-h">
          <h2 id="rights-h">{L(TXT.dataRights)}</h2>
          <p>
            <a href={`/api/v1/orgs/${p.orgSlug}/cases/${c.id}/export?reason=data_request`} download={`${c.code}.json`}>
              {L(TXT.exportData)}
            </a>
          </p>
          {p.isAdmin && !detail.erasure ? (
            <form method="post" action={`${base}/erase`} class="stack" novalidate>
              <h3>{L(TXT.erase)}</h3>
              <p class="muted">{L(TXT.eraseHint)}</p>
              <FormAlert message={alertFor(state, 'erase')} />
              <Select name="reason" id="erase-reason" label={L(TXT.erasureReason)} options={opts(ERASURE_REASONS, ERASURE_LABELS, locale)} value={v(state, 'erase', 'reason')} error={e(state, 'erase', 'reason')} />
              <div>
                <label class="check">
                  <input type="checkbox" name="confirm" value="yes" aria-invalid={e(state, 'erase', 'confirm') ? 'true' : undefined} /> {L(TXT.confirmErase)}
                </label>
                <FieldError id="f-confirm" msg={e(state, 'erase', 'confirm')} />
              </div>
              <button type="submit" class="danger">
                {L(TXT.erase)}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

const EDIT = { vi: 'Sửa thông tin nhận dạng', en: 'Edit identifying information' };

function IdentityBlock(props: { locale: Locale; identity: CaseIdentity; hideHref: string; editHref?: string }) {
  const L = (x: { vi: string; en: string }) => pick(props.locale, x);
  const i = props.identity;
  const row = (k: { vi: string; en: string }, val: string | null, field: string): Child => (
    <>
      <dt>{L(k)}</dt>
      <dd data-identity={field}>{val ?? '—'}</dd>
    </>
  );
  return (
    <div>
      <dl class="kv">
        {row(TXT.fullName, i.fullName, 'fullName')}
        {row(TXT.birthDate, i.birthDate ? formatDate(i.birthDate, props.locale) : null, 'birthDate')}
        {row(TXT.address, i.address, 'address')}
        {row(TXT.guardianName, i.guardianName, 'guardianName')}
        {row(TXT.guardianRelation, i.guardianRelation, 'guardianRelation')}
        {row(TXT.guardianPhone, i.guardianPhone, 'guardianPhone')}
        {row(TXT.photos, i.photos.length ? i.photos.map((ph) => ph.caption ?? ph.key).join(', ') : null, 'photos')}
        {row(TXT.givenByName, i.consentGivers.map((g) => g.name).filter(Boolean).join(', ') || null, 'consentGivers')}
      </dl>
      <p class="row">
        {props.editHref ? <a href={props.editHref}>{L(EDIT)}</a> : null}
        <a href={props.hideHref}>{L(TXT.hide)}</a>
      </p>
    </div>
  );
}
