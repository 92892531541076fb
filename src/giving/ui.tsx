import type { Child } from 'hono/jsx';

/** Small accessible form helpers shared by the giving and donor pages. */
export type FieldErrors = Record<string, string>;

export function ErrorSummary(props: { message?: string | null }) {
  return props.message ? (
    <p class="error" role="alert" id="form-error">
      {props.message}
    </p>
  ) : null;
}

export function Field(props: { id: string; label: string; errors?: FieldErrors; hint?: string; children: (a: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => Child }) {
  const err = props.errors?.[props.id];
  const describedBy = [err ? `${props.id}-error` : null, props.hint ? `${props.id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <div class="muted" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.children({ id: props.id, ...(err ? { 'aria-invalid': 'true' as const } : {}), 'aria-describedby': describedBy })}
      {err ? (
        <div class="field-error" id={`${props.id}-error`}>
          {err}
        </div>
      ) : null}
    </div>
  );
}

export const str = (v: unknown, max = 500) => (typeof v === 'string' ? v.slice(0, max) : '');

/** The options of a donor picker: "nobody" first, then the donors, keeping the chosen one. */
export function DonorOptions(props: { donors: { id: string; name: string }[]; selected?: string | null; noneLabel: string }) {
  return (
    <>
      <option value="">{props.noneLabel}</option>
      {props.donors.map((d) => (
        <option value={d.id} selected={props.selected === d.id}>
          {d.name}
        </option>
      ))}
    </>
  );
}
