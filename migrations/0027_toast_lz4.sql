-- The one value PostgreSQL compresses on a hot path: each Stripe event's payload (~3.3 KB, stored
-- once per delivery; rows past ~2 KB are compressed). With pglz, the default, PostgreSQL spent
-- 123-133 µs of CPU per stored event; with lz4 80-93 µs, the stored payload 1.8 KB instead of
-- 1.6 KB (lab, bench/NOTES.md 2026-12-08). lz4 exists only where PostgreSQL was built with it
-- (Debian's PostgreSQL 15 is, PGlite is not): elsewhere the column keeps pglz. Only new values
-- change; stored ones stay readable either way.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE stripe_events ALTER COLUMN payload SET COMPRESSION lz4;
  END IF;
END $$;
