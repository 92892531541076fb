import type { Handler } from 'hono';
import type { AppEnv } from './env';
import { Layout } from '../ui/layout';

interface OpenApiDoc {
  paths?: Record<string, Record<string, { summary?: string; tags?: string[]; 'x-access'?: unknown }>>;
}

/**
 * A plain, offline API reference rendered on the server from the generated OpenAPI document
 * (no third-party script, so it works under our CSP and without internet).
 */
export function apiDocsPage(specPath: string, getDoc: () => unknown): Handler<AppEnv> {
  return async (c) => {
    const doc = getDoc() as OpenApiDoc;
    const rows: { method: string; path: string; summary: string; access: string; tag: string }[] = [];
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(ops)) {
        const access = op['x-access'];
        rows.push({
          method: method.toUpperCase(),
          path,
          summary: op.summary ?? '',
          tag: op.tags?.[0] ?? '',
          access: Array.isArray(access) ? access.join(', ') : String(access ?? ''),
        });
      }
    }
    rows.sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path));
    return c.html(
      <Layout title="API" locale={c.get('locale')} path="/api/docs">
        <h1>Sẻ Chia API v1</h1>
        <p>
          OpenAPI 3.1: <a href={specPath}>{specPath}</a>. Errors: <code>application/problem+json</code> (RFC 9457).
          Authentication: staff session cookie or <code>Authorization: Bearer sc_…</code>.
        </p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Tag</th>
                <th>Method</th>
                <th>Path</th>
                <th>Who may call</th>
                <th>Summary</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.tag}</td>
                  <td>
                    <code>{r.method}</code>
                  </td>
                  <td>
                    <code>{r.path}</code>
                  </td>
                  <td>{r.access}</td>
                  <td>{r.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    );
  };
}
