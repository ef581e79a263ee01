-- The dataset version (content hash) each import left behind, with the
-- counts of that version: the versions the service has published, to cite.
-- Imports logged before this migration have none.
ALTER TABLE public_data.import_log ADD COLUMN version text, ADD COLUMN counts jsonb;

---- create above / drop below ----

ALTER TABLE public_data.import_log DROP COLUMN version, DROP COLUMN counts;
