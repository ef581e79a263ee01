-- The system of record: regions with their boundaries and population, the
-- facilities the public looks for, paediatric staffing, the dataset's
-- description and an import log, in the schema public_data (what the API may
-- read), and the schema private for microdata the API must never read.
-- Constraints make bad data impossible to store.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE SCHEMA public_data;
CREATE SCHEMA private;
REVOKE ALL ON SCHEMA private FROM PUBLIC;

-- One row: the dataset's title, notice, licence, sources (store.Meta as JSON).
CREATE TABLE public_data.dataset (
	id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
	meta       jsonb NOT NULL CHECK (jsonb_typeof(meta) = 'object'),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public_data.region (
	code          text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
	level         text NOT NULL CHECK (level IN ('county', 'township', 'village')),
	name_zh       text NOT NULL CHECK (name_zh <> ''),
	name_en       text NOT NULL DEFAULT '',
	parent_code   text REFERENCES public_data.region (code) DEFERRABLE INITIALLY DEFERRED,
	new_community boolean NOT NULL DEFAULT false,
	illustrative  boolean NOT NULL DEFAULT false,
	geom          geometry(MultiPolygon, 4326) CHECK (geom IS NULL OR ST_IsValid(geom)),
	CHECK ((level = 'county') = (parent_code IS NULL)),
	-- Codes nest: a township's code starts with its county's, and so on.
	CHECK (length(code) = CASE level WHEN 'county' THEN 6 WHEN 'township' THEN 9 ELSE 12 END),
	CHECK (parent_code IS NULL OR starts_with(code, parent_code))
);
CREATE INDEX region_geom_idx ON public_data.region USING gist (geom);
CREATE INDEX region_parent_idx ON public_data.region (parent_code);

CREATE TABLE public_data.population (
	code        text NOT NULL REFERENCES public_data.region (code),
	year        int NOT NULL CHECK (year BETWEEN 1949 AND 2200),
	total       int NOT NULL CHECK (total >= 0),
	under_3     int NOT NULL CHECK (under_3 >= 0),
	age_0_14    int NOT NULL CHECK (age_0_14 >= 0),
	age_15_64   int NOT NULL CHECK (age_15_64 >= 0),
	age_65_plus int NOT NULL CHECK (age_65_plus >= 0),
	PRIMARY KEY (code, year),
	CHECK (under_3 <= age_0_14),
	CHECK (age_0_14 + age_15_64 + age_65_plus = total)
);

-- A point in range: SRID 4326 by the column type, longitude and latitude
-- in range by the check.
CREATE FUNCTION public_data.valid_point(g geometry) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT ST_X(g) BETWEEN -180 AND 180 AND ST_Y(g) BETWEEN -90 AND 90
$$;

CREATE TABLE public_data.childcare (
	id                     text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
	name_zh                text NOT NULL CHECK (name_zh <> ''),
	operator_type          text NOT NULL CHECK (operator_type IN ('public', 'private_inclusive', 'private_for_profit', 'employer')),
	inclusive              boolean NOT NULL,
	filed                  boolean NOT NULL,
	geom                   geometry(Point, 4326) NOT NULL CHECK (public_data.valid_point(geom)),
	address                text NOT NULL DEFAULT '',
	phone                  text NOT NULL DEFAULT '',
	opening_hours          text NOT NULL DEFAULT '',
	monthly_fee_yuan       int NOT NULL DEFAULT 0 CHECK (monthly_fee_yuan >= 0),
	-- Approved slots (核定托位数) and enrolment (实际收托数) by class: the
	-- class names are the columns, so an unknown class cannot be stored.
	slots_infant           int NOT NULL DEFAULT 0 CHECK (slots_infant >= 0),
	slots_toddler_small    int NOT NULL DEFAULT 0 CHECK (slots_toddler_small >= 0),
	slots_toddler_large    int NOT NULL DEFAULT 0 CHECK (slots_toddler_large >= 0),
	slots_mixed            int NOT NULL DEFAULT 0 CHECK (slots_mixed >= 0),
	enrolled_infant        int NOT NULL DEFAULT 0 CHECK (enrolled_infant BETWEEN 0 AND slots_infant),
	enrolled_toddler_small int NOT NULL DEFAULT 0 CHECK (enrolled_toddler_small BETWEEN 0 AND slots_toddler_small),
	enrolled_toddler_large int NOT NULL DEFAULT 0 CHECK (enrolled_toddler_large BETWEEN 0 AND slots_toddler_large),
	enrolled_mixed         int NOT NULL DEFAULT 0 CHECK (enrolled_mixed BETWEEN 0 AND slots_mixed),
	opened_on              date,
	closed_on              date CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on),
	-- Assigned at import with ST_Covers (see shanyu import).
	township_code          text REFERENCES public_data.region (code),
	village_code           text REFERENCES public_data.region (code),
	updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX childcare_geom_idx ON public_data.childcare USING gist (geom);

CREATE TABLE public_data.nursing_room (
	id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
	name_zh       text NOT NULL CHECK (name_zh <> ''),
	venue_type    text NOT NULL CHECK (venue_type IN ('public_place', 'workplace', 'hospital', 'station', 'mall')),
	star          int NOT NULL CHECK (star BETWEEN 1 AND 3),
	geom          geometry(Point, 4326) NOT NULL CHECK (public_data.valid_point(geom)),
	address       text NOT NULL DEFAULT '',
	opening_hours text NOT NULL DEFAULT '',
	amenities     text[] NOT NULL DEFAULT '{}' CHECK (amenities <@ ARRAY['changing_table', 'nursing_chair', 'sink',
		'hand_sanitiser', 'door_lock', 'call_button', 'fridge', 'microwave', 'diaper_bin', 'outlet']),
	accessible    boolean NOT NULL DEFAULT false,
	opened_on     date,
	closed_on     date CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on),
	township_code text REFERENCES public_data.region (code),
	village_code  text REFERENCES public_data.region (code),
	updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nursing_room_geom_idx ON public_data.nursing_room USING gist (geom);

CREATE TABLE public_data.paediatric_unit (
	id             text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
	name_zh        text NOT NULL CHECK (name_zh <> ''),
	type           text NOT NULL CHECK (type IN ('county_hospital', 'mch_hospital', 'tcm_hospital',
		'township_health_centre', 'community_health_centre')),
	geom           geometry(Point, 4326) NOT NULL CHECK (public_data.valid_point(geom)),
	paediatricians int NOT NULL CHECK (paediatricians >= 0),
	township_code  text REFERENCES public_data.region (code),
	updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Every import that committed: what, from which file, and what it changed.
CREATE TABLE public_data.import_log (
	id          bigserial PRIMARY KEY,
	kind        text NOT NULL,
	source      text NOT NULL,
	sha256      text NOT NULL,
	rows        int NOT NULL,
	inserted    int NOT NULL,
	updated     int NOT NULL,
	closed      int NOT NULL,
	imported_at timestamptz NOT NULL DEFAULT now()
);

---- create above / drop below ----

DROP SCHEMA private CASCADE;
DROP SCHEMA public_data CASCADE;
