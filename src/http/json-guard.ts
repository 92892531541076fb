import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';
import { problemResponse } from './problem';

function findIllFormed(value: unknown, path: string, depth = 0): string | null {
  if (depth > 64) return path || '(root)';
  if (typeof value === 'string') return value.isWellFormed() ? null : path || '(root)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findIllFormed(value[i], `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!k.isWellFormed()) return `${path}.(key)`;
      const bad = findIllFormed(v, path ? `${path}.${k}` : k, depth + 1);
      if (bad) return bad;
    }
  }
  return null;
}

/**
 * JSON bodies are parsed once here so that lone UTF-16 surrogates ("\ud800"), which Postgres
 * cannot store as UTF-8, and over-deep nesting are refused with 400 before any handler runs.
 */
export const wellFormedJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header('content-type') ?? '';
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /^application\/([a-z.+-]*\+)?json/i.test(type)) {
    const text = await c.req.text();
    // A body-less POST (e.g. "auto-match") that still says JSON is not an error.
    if (text.trim() === '') return next();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return problemResponse(c, 400, 'The body is not valid JSON.');
    }
    const bad = findIllFormed(body, '');
    if (bad) {
      return problemResponse(c, 400, 'The body contains text that is not valid Unicode.', {
        errors: [{ path: `json.${bad}`, message: 'contains an unpaired surrogate or is nested too deeply' }],
      });
    }
  }
  await next();
};
