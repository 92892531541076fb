import { parseArgs } from 'node:util';
import { dumpPgliteDataDir, pgDump, pgRestore, restorePgliteDataDir } from '../src/ops/backup';

/**
 * npm run backup -- --out backups/sechia.tar.gz      (PGlite data dir; stop `npm start` first)
 * npm run backup -- --out backups/sechia.dump --pg    (pg_dump of DIRECT_DATABASE_URL)
 * npm run restore -- --in backups/sechia.tar.gz       (into an empty DATA_DIR)
 * npm run restore -- --in backups/sechia.dump --pg    (pg_restore into DIRECT_DATABASE_URL)
 */
const { values } = parseArgs({
  options: { out: { type: 'string' }, in: { type: 'string' }, pg: { type: 'boolean', default: false } },
});
const dataDir = process.env.DATA_DIR ?? '.data';
const direct = process.env.DIRECT_DATABASE_URL;
if (values.out) {
  if (values.pg) {
    if (!direct) throw new Error('DIRECT_DATABASE_URL: a plain postgres:// URL is required for pg_dump');
    pgDump(direct, values.out);
  } else await dumpPgliteDataDir(dataDir, values.out);
  console.log(`Backup written to ${values.out}`);
} else if (values.in) {
  if (values.pg) {
    if (!direct) throw new Error('DIRECT_DATABASE_URL: a plain postgres:// URL is required for pg_restore');
    pgRestore(direct, values.in);
  } else await restorePgliteDataDir(values.in, dataDir);
  console.log(`Restored from ${values.in}`);
} else {
  console.error('Use --out FILE (backup) or --in FILE (restore); add --pg for PostgreSQL.');
  process.exit(2);
}
