import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's migrations/ folder, found from this module upwards: the sources sit two levels
 * below it (src/db), the compiled Node server one (build/server.mjs).
 */
function findMigrations(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'migrations');
    if (fs.existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('migrations/meta/_journal.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const MIGRATIONS_FOLDER = findMigrations();
