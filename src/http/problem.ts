import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** RFC 9457 problem details. `errors` carries field-level validation messages. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

const TYPES: Record<number, [string, string]> = {
  400: ['validation-error', 'Invalid request'],
  401: ['unauthenticated', 'Sign-in required'],
  403: ['forbidden', 'Not allowed for your role'],
  404: ['not-found', 'Not found'],
  409: ['conflict', 'Conflict'],
  413: ['too-large', 'Request too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['unprocessable', 'Cannot be processed'],
  429: ['rate-limited', 'Too many requests'],
  500: ['internal', 'Internal error'],
  503: ['unavailable', 'Service unavailable'],
};

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail?: string,
    readonly extra: Partial<Problem> = {},
  ) {
    super(detail ?? TYPES[status]?.[1] ?? 'Error');
    this.name = 'ProblemError';
  }
}

export function problemBody(status: number, detail?: string, extra: Partial<Problem> = {}): Problem {
  const [slug, title] = TYPES[status] ?? ['error', 'Error'];
  return { type: `/problems/${slug}`, title, status, ...(detail ? { detail } : {}), ...extra } as Problem;
}

export function problemResponse(c: Context, status: ContentfulStatusCode, detail?: string, extra: Partial<Problem> = {}) {
  const body = problemBody(status, detail, { instance: c.req.path, requestId: c.get('requestId'), ...extra });
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json; charset=utf-8' });
}

export const notFound = (what = 'Resource') => new ProblemError(404, `${what} not found`);
export const conflict = (detail: string, extra: Partial<Problem> = {}) => new ProblemError(409, detail, extra);
export const invalid = (detail: string, errors?: { path: string; message: string }[]) =>
  new ProblemError(400, detail, errors ? { errors } : {});
