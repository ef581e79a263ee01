-- shanyu_reader may read public_data and nothing else: the API's login role
-- is made a member of it (see README, "Serving from PostGIS"). Roles belong
-- to the cluster, so this creates it only when missing and the down
-- migration revokes its grants in this database without dropping it.

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shanyu_reader') THEN
		CREATE ROLE shanyu_reader NOLOGIN;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA public_data TO shanyu_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public_data TO shanyu_reader;
GRANT EXECUTE ON FUNCTION public_data.valid_point(geometry) TO shanyu_reader;

---- create above / drop below ----

REVOKE ALL ON ALL TABLES IN SCHEMA public_data FROM shanyu_reader;
REVOKE ALL ON SCHEMA public_data FROM shanyu_reader;
REVOKE ALL ON FUNCTION public_data.valid_point(geometry) FROM shanyu_reader;
