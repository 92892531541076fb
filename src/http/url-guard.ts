import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';
import { ProblemError } from './problem';

/**
 * Postgres cannot store or compare text holding a NUL character (22021), so a path or query
 * value that decodes to one could only end in a server error. A path with NUL names nothing
 * (404); a query value with NUL is a 400 naming the parameter. Pages and the API answer
 * through the app's error handler (an error page, or problem+json).
 */
export const noNulInUrl: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  if (/%00/i.test(url.pathname)) throw new ProblemError(404, 'Not found');
  for (const [name, value] of url.searchParams) {
    if (name.includes('\0') || value.includes('\0')) {
      const param = name.includes('\0') ? '(name)' : name;
      throw new ProblemError(400, 'A query parameter contains a NUL character.', { errors: [{ path: `query.${param}`, message: 'must not contain a NUL character' }] });
    }
  }
  await next();
};
