import type { z } from '@hono/zod-openapi';
import { ProblemError } from '../http/problem';
import type { Locale } from '../ui/i18n';

/** Raw form fields as posted: one string per name, or several for repeated names (checkboxes). */
export type FormFields = Record<string, string | string[]>;

export type FieldErrors = Record<string, string>;

export async function readForm(req: { parseBody: (o: { all: true }) => Promise<Record<string, unknown>> }): Promise<FormFields> {
  const raw = await req.parseBody({ all: true });
  const out: FormFields = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v.slice(0, 5000);
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 5000));
  }
  return out;
}

export const one = (f: FormFields, k: string): string => {
  const v = f[k];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
};
export const many = (f: FormFields, k: string): string[] => {
  const v = f[k];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
};
export const orNull = (s: string) => (s === '' ? null : s);
export const orUndef = (s: string) => (s === '' ? undefined : s);
/** A number field: empty stays empty (the schema then says "required"), text stays text. */
export const num = (s: string): number | string | undefined => (s === '' ? undefined : /^-?\d+$/.test(s) ? Number(s) : s);

const INVALID = { vi: 'Giá trị chưa hợp lệ', en: 'Invalid value' };
const REQUIRED = { vi: 'Bắt buộc', en: 'Required' };

/**
 * Field errors for a form from a schema failure or a domain ProblemError. The message names the
 * problem, never the submitted value (which may be a child's name).
 */
export function fieldErrorsFrom(err: unknown, locale: Locale): FieldErrors | null {
  const issues: { path: string; message: string }[] = [];
  if (err instanceof ProblemError && err.status === 400) {
    for (const e of (err.extra.errors as { path: string; message: string }[] | undefined) ?? []) issues.push(e);
    if (issues.length === 0) issues.push({ path: '_', message: err.detail ?? '' });
  } else if (isZodError(err)) {
    for (const i of err.issues) {
      const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
      issues.push({ path: i.path.map(String).join('.'), message: missing ? REQUIRED[locale] : i.message });
    }
  } else return null;
  const out: FieldErrors = {};
  for (const i of issues) {
    const key = i.path.replace(/^(json|query|body)\./, '').replace(/\.\d+$/, '');
    if (out[key]) continue;
    out[key] = i.message === REQUIRED[locale] ? i.message : locale === 'en' ? `${INVALID.en}: ${i.message}` : INVALID.vi;
  }
  return out;
}

function isZodError(e: unknown): e is z.ZodError {
  return !!e && typeof e === 'object' && 'issues' in e && Array.isArray((e as { issues: unknown }).issues);
}
