-- The county's policy document as data (policy.json: title, clauses,
-- targets, money rules), one row, readable by the API's role. A dataset
-- without a policy has no row here: nothing is then measured against any
-- target.

CREATE TABLE public_data.policy (
	id          int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
	body        jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object' AND body ? 'targets' AND body ? 'money'),
	imported_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON public_data.policy TO shanyu_reader;

---- create above / drop below ----

DROP TABLE public_data.policy;
