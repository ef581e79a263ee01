-- Indicators: the private microdata they are computed from (never readable
-- by the API's role), the audit log of every release, and the published,
-- protected tables the API serves.

CREATE TABLE private.birth (
	id         text PRIMARY KEY,
	village    text NOT NULL REFERENCES public_data.region (code),
	born_on    date NOT NULL,
	birth_order int NOT NULL CHECK (birth_order BETWEEN 1 AND 3),
	mother_age text NOT NULL CHECK (mother_age IN ('15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49'))
);
CREATE TABLE private.death (
	id      text PRIMARY KEY,
	village text NOT NULL REFERENCES public_data.region (code),
	died_on date NOT NULL
);
CREATE TABLE private.marriage (
	id         text PRIMARY KEY,
	village    text NOT NULL REFERENCES public_data.region (code),
	married_on date NOT NULL,
	checked    boolean NOT NULL
);
CREATE TABLE private.pregnancy (
	id            text PRIMARY KEY,
	village       text NOT NULL REFERENCES public_data.region (code),
	registered_on date NOT NULL,
	birth_order   int NOT NULL CHECK (birth_order BETWEEN 1 AND 3),
	screened      boolean NOT NULL
);
CREATE TABLE private.child_screening (
	child_id text NOT NULL,
	village  text NOT NULL REFERENCES public_data.region (code),
	year     int NOT NULL,
	screened boolean NOT NULL,
	PRIMARY KEY (child_id, year)
);
CREATE TABLE private.payment (
	id          text PRIMARY KEY,
	child_id    text NOT NULL,
	village     text NOT NULL REFERENCES public_data.region (code),
	month       text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
	kind        text NOT NULL CHECK (kind IN ('childcare_allowance', 'pregnancy_subsidy')),
	birth_order int NOT NULL CHECK (birth_order BETWEEN 1 AND 3),
	yuan        int NOT NULL CHECK (yuan > 0)
);
CREATE TABLE private.women (
	year  int NOT NULL,
	band  text NOT NULL,
	women int NOT NULL CHECK (women >= 0),
	PRIMARY KEY (year, band)
);
-- Which cells were primary and the attacker's bounds: kept, never published.
CREATE TABLE private.audit_log (
	id           text PRIMARY KEY,
	log          jsonb NOT NULL,
	published_at timestamptz NOT NULL DEFAULT now()
);

-- The published release: protected tables only (store indicators.Publication).
CREATE TABLE public_data.publication (
	id           int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
	audit_id     text NOT NULL,
	body         jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
	published_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON public_data.publication TO shanyu_reader;

---- create above / drop below ----

REVOKE ALL ON public_data.publication FROM shanyu_reader;
DROP TABLE public_data.publication;
DROP TABLE private.audit_log, private.women, private.payment, private.child_screening,
	private.pregnancy, private.marriage, private.death, private.birth;
