package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"

	"shanyu/county"
	"shanyu/indicators"
	"shanyu/source/table"
)

// ImportResult says what an import changed.
type ImportResult struct {
	Rows, Inserted, Updated, Closed int
}

// Staging tables take bulk rows through CopyFrom with geometry as WKB or
// lon/lat and no constraints; one INSERT … SELECT then builds the geometry
// in SQL, where the real table's constraints check every row.
const (
	qStageRegion = `CREATE TEMP TABLE stage_region (code text, level text, name_zh text, name_en text,
		parent_code text, new_community boolean, illustrative boolean, wkb bytea) ON COMMIT DROP`
	qInsertRegion = `INSERT INTO public_data.region (code, level, name_zh, name_en, parent_code, new_community, illustrative, geom)
		SELECT code, level, name_zh, name_en, nullif(parent_code, ''), new_community, illustrative,
			CASE WHEN wkb IS NULL THEN NULL ELSE ST_Multi(ST_GeomFromWKB(wkb, 4326)) END
		FROM stage_region`
	qStageChildcare = `CREATE TEMP TABLE stage_childcare ON COMMIT DROP AS SELECT *, 0::float8 AS lon, 0::float8 AS lat FROM public_data.childcare WITH NO DATA`
	qStageNursing   = `CREATE TEMP TABLE stage_nursing_room ON COMMIT DROP AS SELECT *, 0::float8 AS lon, 0::float8 AS lat FROM public_data.nursing_room WITH NO DATA`
	qStagePaed      = `CREATE TEMP TABLE stage_paediatric_unit ON COMMIT DROP AS SELECT *, 0::float8 AS lon, 0::float8 AS lat FROM public_data.paediatric_unit WITH NO DATA`
)

// The staged columns of the facility tables: the bundle's, with lon and lat.
var (
	childcareColumns = table.ByName(table.Childcare).BundleColumns()
	nursingColumns   = table.ByName(table.NursingRoom).BundleColumns()
)

func date(d county.Date) any {
	if d == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return nil
	}
	return t
}

// ReplaceAll replaces the whole public dataset with ds in one transaction,
// assigns every facility its township and village with ST_Covers, logs the
// import and notifies running servers on commit. Either all of ds is
// stored or nothing changes.
func ReplaceAll(ctx context.Context, db interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}, ds *county.Dataset, source, sha string) (ImportResult, error) {
	var res ImportResult
	if err := county.Validate(ds); err != nil {
		return res, err
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return res, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op

	for _, q := range []string{
		`DELETE FROM public_data.paediatric_unit`, `DELETE FROM public_data.nursing_room`, `DELETE FROM public_data.childcare`,
		`DELETE FROM public_data.population`, `DELETE FROM public_data.region`,
		qStageRegion, qStageChildcare, qStageNursing, qStagePaed,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return res, err
		}
	}
	meta, err := json.Marshal(ds.Meta)
	if err != nil {
		return res, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO public_data.dataset (id, meta, updated_at) VALUES (1, $1, now())
		ON CONFLICT (id) DO UPDATE SET meta = excluded.meta, updated_at = now()`, meta); err != nil {
		return res, err
	}

	regionRows := make([][]any, len(ds.Regions))
	for i, r := range ds.Regions {
		var g []byte
		if len(r.Geometry) > 0 {
			if g, err = wkb.Marshal(r.Geometry); err != nil {
				return res, fmt.Errorf("region %s: %w", r.Code, err)
			}
		}
		regionRows[i] = []any{r.Code, r.Level, r.NameZh, r.NameEn, r.ParentCode, r.NewCommunity, r.Illustrative, g}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_region"},
		[]string{"code", "level", "name_zh", "name_en", "parent_code", "new_community", "illustrative", "wkb"},
		pgx.CopyFromRows(regionRows)); err != nil {
		return res, err
	}
	bad, err := invalidBoundaries(ctx, tx, qInvalidStagedRegion)
	if err != nil {
		return res, err
	}
	if len(bad) > 0 {
		var msgs []string
		for i, r := range ds.Regions {
			if why, ok := bad[r.Code]; ok {
				msgs = append(msgs, fmt.Sprintf("feature %d, region %s %s: the boundary is invalid: %s", i+1, r.Code, r.NameZh, why))
			}
		}
		return res, fmt.Errorf("regions: %s; %s", strings.Join(msgs, "; "), boundaryFix)
	}
	if _, err := tx.Exec(ctx, qInsertRegion); err != nil {
		return res, fmt.Errorf("regions: %w", err)
	}
	popRows := make([][]any, len(ds.Population))
	for i, p := range ds.Population {
		popRows[i] = []any{p.Code, p.Year, p.Total, p.Under3, p.Age0to14, p.Age15to64, p.Age65Plus}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"public_data", "population"},
		[]string{"code", "year", "total", "under_3", "age_0_14", "age_15_64", "age_65_plus"}, pgx.CopyFromRows(popRows)); err != nil {
		return res, fmt.Errorf("population: %w", err)
	}

	var cc, nr [][]any
	for _, f := range ds.Facilities {
		switch f.Kind {
		case county.Childcare:
			cc = append(cc, []any{f.ID, f.NameZh, f.OperatorType, f.Inclusive, f.Filed, f.Point[0], f.Point[1], f.Address, f.Phone,
				f.OpeningHours, f.MonthlyFeeYuan, f.Slots.Infant, f.Slots.ToddlerSmall, f.Slots.ToddlerLarge, f.Slots.Mixed,
				f.Enrolled.Infant, f.Enrolled.ToddlerSmall, f.Enrolled.ToddlerLarge, f.Enrolled.Mixed, date(f.OpenedOn), date(f.ClosedOn)})
		case county.NursingRoom:
			am := f.Amenities
			if am == nil {
				am = []string{}
			}
			nr = append(nr, []any{f.ID, f.NameZh, f.VenueType, f.Star, f.Point[0], f.Point[1], f.Address, f.OpeningHours,
				am, f.Accessible, date(f.OpenedOn), date(f.ClosedOn)})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_childcare"}, childcareColumns, pgx.CopyFromRows(cc)); err != nil {
		return res, fmt.Errorf("childcare: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_nursing_room"}, nursingColumns, pgx.CopyFromRows(nr)); err != nil {
		return res, fmt.Errorf("nursing rooms: %w", err)
	}
	var pu [][]any
	for _, u := range ds.Paediatric {
		pu = append(pu, []any{u.ID, u.NameZh, u.Type, u.Point[0], u.Point[1], u.Paediatricians})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_paediatric_unit"},
		[]string{"id", "name_zh", "type", "lon", "lat", "paediatricians"}, pgx.CopyFromRows(pu)); err != nil {
		return res, fmt.Errorf("paediatric units: %w", err)
	}
	for _, q := range []string{
		`INSERT INTO public_data.childcare (` + cols(childcareColumns) + `, geom)
			SELECT ` + cols(childcareColumns) + `, ST_SetSRID(ST_MakePoint(lon, lat), 4326) FROM stage_childcare`,
		`INSERT INTO public_data.nursing_room (` + cols(nursingColumns) + `, geom)
			SELECT ` + cols(nursingColumns) + `, ST_SetSRID(ST_MakePoint(lon, lat), 4326) FROM stage_nursing_room`,
		`INSERT INTO public_data.paediatric_unit (id, name_zh, type, paediatricians, geom)
			SELECT id, name_zh, type, paediatricians, ST_SetSRID(ST_MakePoint(lon, lat), 4326) FROM stage_paediatric_unit`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return res, err
		}
	}
	if err := assignRegions(ctx, tx, ""); err != nil {
		return res, err
	}
	if err := savePolicy(ctx, tx, ds.Policy); err != nil {
		return res, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM public_data.publication`); err != nil {
		return res, err
	}
	if ds.Published != nil {
		if err := savePublication(ctx, tx, ds.Published); err != nil {
			return res, err
		}
	}
	res.Rows = len(ds.Regions) + len(ds.Population) + len(ds.Facilities) + len(ds.Paediatric)
	res.Inserted = res.Rows
	if err := finish(ctx, tx, "bundle", source, sha, res); err != nil {
		return res, err
	}
	return res, tx.Commit(ctx)
}

func cols(c []string) string {
	out := ""
	for i, s := range c {
		if s == "lon" || s == "lat" {
			continue
		}
		if i > 0 && out != "" {
			out += ", "
		}
		out += pgx.Identifier{s}.Sanitize()
	}
	return out
}

// assignRegions places facilities (those with id in the temp table
// touched_ids when onlyTouched, else all) in the village and township
// that cover them. A point on a border shared by two regions goes to the
// smaller code — the same rule as the snapshot's — and its township is its
// village's parent.
func assignRegions(ctx context.Context, tx pgx.Tx, where string) error {
	for _, table := range []string{"childcare", "nursing_room"} {
		t := pgx.Identifier{"public_data", table}.Sanitize()
		// Village by village, the facilities each covers: one polygon
		// tested against many points in a row, so PostGIS prepares it once
		// (an edge index) instead of testing each point against whole
		// polygons; of several covering villages the smallest code wins.
		only := ""
		if where != "" {
			only = " AND " + strings.TrimPrefix(where, "WHERE ")
		}
		q := `UPDATE ` + t + ` AS f SET village_code = pick.code, township_code = pick.parent_code
			FROM (SELECT DISTINCT ON (c.id) c.id, r.code, r.parent_code
				FROM public_data.region r
				CROSS JOIN LATERAL (SELECT f2.id FROM ` + t + ` f2 WHERE ST_Covers(r.geom, f2.geom)` + only + `) AS c
				WHERE r.level = 'village'
				ORDER BY c.id, r.code) AS pick
			WHERE f.id = pick.id`
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("assigning %s to regions: %w", table, err)
		}
	}
	return assignTownships(ctx, tx)
}

// assignTownships places the facilities in a township but in none of its
// villages, and the paediatric units, in the township that covers them.
func assignTownships(ctx context.Context, tx pgx.Tx) error {
	for _, table := range []string{"childcare", "nursing_room"} {
		t := pgx.Identifier{"public_data", table}.Sanitize()
		q := `UPDATE ` + t + ` AS f SET township_code = (SELECT r.code FROM public_data.region r
				WHERE r.level = 'township' AND ST_Covers(r.geom, f.geom) ORDER BY r.code LIMIT 1)
			WHERE f.village_code IS NULL`
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("assigning %s to townships: %w", table, err)
		}
	}
	_, err := tx.Exec(ctx, `UPDATE public_data.paediatric_unit AS u SET township_code = (SELECT r.code FROM public_data.region r
		WHERE r.level = 'township' AND ST_Covers(r.geom, u.geom) ORDER BY r.code LIMIT 1)`)
	return err
}

// finish logs the import with the dataset version it leaves, and notifies
// listeners; the notification is delivered when the transaction commits,
// and never if it does not.
func finish(ctx context.Context, tx pgx.Tx, kind, source, sha string, res ImportResult) error {
	version, counts, err := versionAfter(ctx, tx)
	if err != nil {
		return fmt.Errorf("computing the version this import makes: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO public_data.import_log (kind, source, sha256, rows, inserted, updated, closed, version, counts)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, kind, source, sha, res.Rows, res.Inserted, res.Updated, res.Closed, version, counts); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, kind)
	return err
}

func savePublication(ctx context.Context, tx pgx.Tx, pub *indicators.Publication) error {
	body, err := indicators.MarshalCanonical(pub)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO public_data.publication (id, audit_id, body, published_at) VALUES (1, $1, $2, now())
		ON CONFLICT (id) DO UPDATE SET audit_id = excluded.audit_id, body = excluded.body, published_at = now()`,
		pub.Audit.ID, body)
	return err
}
