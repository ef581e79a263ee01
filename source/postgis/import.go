package postgis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"shanyu/county"
	"shanyu/source/imports"
	"shanyu/source/table"
)

// ImportOptions say how a file's records change the database.
type ImportOptions struct {
	// Full says the file lists every facility of its kind: one in the
	// database but not in the file is marked closed on ClosedOn (never
	// deleted, so coverage over time stays right).
	Full     bool
	ClosedOn county.Date
	// DryRun runs the whole import, reports what it would change, and rolls
	// it back.
	DryRun bool
	Source string
	SHA256 string
}

// ErrRefused wraps a database constraint that refused an import.
var ErrRefused = errors.New("the database refused the file")

// RegionContext returns what imports check rows against: the codes the
// database holds with their levels, and the county boundary (the union of
// the county regions).
func RegionContext(ctx context.Context, q Querier) (map[string]string, orb.MultiPolygon, error) {
	rows, _ := q.Query(ctx, `SELECT code, level FROM public_data.region`)
	codes := map[string]string{}
	var code, level string
	_, err := pgx.ForEachRow(rows, []any{&code, &level}, func() error { codes[code] = level; return nil })
	if err != nil {
		return nil, nil, err
	}
	var b []byte
	if err := q.QueryRow(ctx, `SELECT ST_AsBinary(ST_Multi(ST_Union(geom))) FROM public_data.region WHERE level = 'county' AND geom IS NOT NULL`).Scan(&b); err != nil {
		return nil, nil, err
	}
	if b == nil {
		return codes, nil, nil
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, nil, err
	}
	mp, _ := g.(orb.MultiPolygon)
	return codes, mp, nil
}

// upsert describes how one kind's staged rows enter their table.
type upsert struct {
	table   string   // public_data table
	key     []string // conflict key
	columns []string // staged columns, besides lon/lat
	point   bool     // the staging table has lon, lat for geom
}

// upserts are the import kinds' tables, with their columns from the table
// descriptors; a region's boundary travels as WKB in a geom column.
var upserts = func() map[string]upsert {
	keys := map[string][]string{table.Population: {"code", "year"}, table.Regions: {"code"}}
	out := map[string]upsert{}
	for _, k := range table.Kinds {
		u := upsert{table: k.DBTable, key: keys[k.Name], columns: k.DBColumns(), point: k.HasPoint()}
		if u.key == nil {
			u.key = []string{"id"}
		}
		if k.Name == table.Regions {
			u.columns = append(u.columns, "geom")
		}
		out[k.Name] = u
	}
	return out
}()

func ident(cols []string, prefix string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = prefix + pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(out, ", ")
}

func (u upsert) rows(rec *imports.Records) ([][]any, error) {
	var out [][]any
	switch rec.Kind {
	case "childcare", "nursing_room":
		for _, f := range rec.Facilities {
			var r []any
			if f.Kind == county.Childcare {
				r = []any{f.ID, f.NameZh, f.OperatorType, f.Inclusive, f.Filed, f.Address, f.Phone, f.OpeningHours, f.MonthlyFeeYuan,
					f.Slots.Infant, f.Slots.ToddlerSmall, f.Slots.ToddlerLarge, f.Slots.Mixed,
					f.Enrolled.Infant, f.Enrolled.ToddlerSmall, f.Enrolled.ToddlerLarge, f.Enrolled.Mixed, date(f.OpenedOn), date(f.ClosedOn)}
			} else {
				am := f.Amenities
				if am == nil {
					am = []string{}
				}
				r = []any{f.ID, f.NameZh, f.VenueType, f.Star, f.Address, f.OpeningHours, am, f.Accessible, date(f.OpenedOn), date(f.ClosedOn)}
			}
			out = append(out, append(r, f.Point[0], f.Point[1]))
		}
	case "paediatricians":
		for _, p := range rec.Paediatric {
			out = append(out, []any{p.ID, p.NameZh, p.Type, p.Paediatricians, p.Point[0], p.Point[1]})
		}
	case "population":
		for _, p := range rec.Population {
			out = append(out, []any{p.Code, p.Year, p.Total, p.Under3, p.Age0to14, p.Age15to64, p.Age65Plus})
		}
	case "regions":
		for _, r := range rec.Regions {
			var g []byte
			if len(r.Geometry) > 0 {
				var err error
				if g, err = wkb.Marshal(r.Geometry); err != nil {
					return nil, err
				}
			}
			var parent any
			if r.ParentCode != "" {
				parent = r.ParentCode
			}
			out = append(out, []any{r.Code, r.Level, r.NameZh, r.NameEn, parent, r.NewCommunity, r.Illustrative, g})
		}
	}
	return out, nil
}

// Import writes checked records in one transaction: staged through
// CopyFrom, then one INSERT … ON CONFLICT that inserts new rows and updates
// only rows that differ (so importing the same file twice changes nothing),
// then — for a full import — closes the facilities the file left out, and
// places the touched facilities in their regions with ST_Covers. It logs
// the import and notifies running servers on commit. Records with problems
// are refused whole.
func Import(ctx context.Context, db interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}, rec *imports.Records, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	if len(rec.Problems) > 0 {
		return res, fmt.Errorf("%d bad rows: nothing imported", len(rec.Problems))
	}
	u, ok := upserts[rec.Kind]
	if !ok {
		return res, fmt.Errorf("unknown kind %q", rec.Kind)
	}
	if opt.Full && rec.Kind != "childcare" && rec.Kind != "nursing_room" {
		return res, fmt.Errorf("a full import closes facilities; %s has none", rec.Kind)
	}
	rows, err := u.rows(rec)
	if err != nil {
		return res, err
	}
	res.Rows = len(rows)
	tx, err := db.Begin(ctx)
	if err != nil {
		return res, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op

	table := pgx.Identifier{"public_data", u.table}.Sanitize()
	staged := u.columns
	stageCols := ident(u.columns, "")
	if u.point {
		staged = append(append([]string{}, u.columns...), "lon", "lat")
	}
	create := `CREATE TEMP TABLE stage ON COMMIT DROP AS SELECT ` + stageCols
	if u.point {
		create += `, 0::float8 AS lon, 0::float8 AS lat`
	}
	if rec.Kind == "regions" {
		create = `CREATE TEMP TABLE stage (code text, level text, name_zh text, name_en text, parent_code text,
			new_community boolean, illustrative boolean, geom bytea) ON COMMIT DROP`
	} else {
		create += ` FROM ` + table + ` WITH NO DATA`
	}
	if _, err := tx.Exec(ctx, create); err != nil {
		return res, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage"}, staged, pgx.CopyFromRows(rows)); err != nil {
		return res, refused(err)
	}
	switch rec.Kind {
	case "regions":
		bad, err := invalidBoundaries(ctx, tx, qInvalidStaged)
		if err != nil {
			return res, err
		}
		if len(bad) > 0 {
			e := &BadRows{}
			for _, r := range rec.Regions {
				if why, ok := bad[r.Code]; ok {
					e.Problems = append(e.Problems, imports.Problem{Line: rec.Lines[r.Code], Column: "geometry",
						Reason: fmt.Sprintf("the boundary of %s %s is invalid: %s; %s", r.Code, r.NameZh, why, boundaryFix)})
				}
			}
			return res, e
		}
	case "childcare", "nursing_room", "paediatricians":
		var ok bool
		if err := tx.QueryRow(ctx, qHasCounty).Scan(&ok); err != nil {
			return res, err
		}
		if !ok {
			return res, ErrOrder
		}
	}

	// Facilities are placed in their villages while staged, so that the
	// upsert writes each row once, codes and all (placing after the upsert
	// wrote every row a second time, with its indexes and foreign keys).
	placeStaged := u.table == "childcare" || u.table == "nursing_room"
	if placeStaged {
		for _, q := range []string{qIndexStage, `ANALYZE stage`} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return res, err
			}
		}
	}

	// Build the INSERT … ON CONFLICT.
	values := ident(u.columns, "s.")
	insertCols := ident(u.columns, "")
	var sets, diffOld, diffNew []string
	for _, c := range u.columns {
		if contains(u.key, c) {
			continue
		}
		id := pgx.Identifier{c}.Sanitize()
		sets = append(sets, id+" = excluded."+id)
		diffOld, diffNew = append(diffOld, "t."+id), append(diffNew, "excluded."+id)
	}
	switch {
	case u.point:
		insertCols += ", geom"
		values += ", ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)"
		sets = append(sets, "geom = excluded.geom")
		diffOld, diffNew = append(diffOld, "ST_AsBinary(t.geom)"), append(diffNew, "ST_AsBinary(excluded.geom)")
	case rec.Kind == "regions":
		values = strings.Replace(values, `s."geom"`, `CASE WHEN s.geom IS NULL THEN NULL ELSE ST_Multi(ST_GeomFromWKB(s.geom, 4326)) END`, 1)
		for i := range diffOld {
			if diffOld[i] == `t."geom"` {
				diffOld[i], diffNew[i] = "ST_AsBinary(t.geom)", "ST_AsBinary(excluded.geom)"
			}
		}
	}
	from := `stage s`
	if placeStaged {
		insertCols += ", village_code, township_code"
		values += ", pick.code, pick.parent_code"
		from += ` LEFT JOIN (` + qPickStagedVillages + `) AS pick ON pick.id = s.id`
		for _, c := range []string{"village_code", "township_code"} {
			sets = append(sets, c+" = excluded."+c)
			diffOld, diffNew = append(diffOld, "t."+c), append(diffNew, "excluded."+c)
		}
	}
	if u.table != "population" && u.table != "region" {
		sets = append(sets, "updated_at = now()")
	}
	q := `INSERT INTO ` + table + ` AS t (` + insertCols + `) SELECT ` + values + ` FROM ` + from + `
		ON CONFLICT (` + ident(u.key, "") + `) DO UPDATE SET ` + strings.Join(sets, ", ") + `
		WHERE (` + strings.Join(diffOld, ", ") + `) IS DISTINCT FROM (` + strings.Join(diffNew, ", ") + `)
		RETURNING (xmax = 0)`
	ins, err := tx.Query(ctx, q)
	if err != nil {
		return res, refused(err)
	}
	var inserted bool
	if _, err := pgx.ForEachRow(ins, []any{&inserted}, func() error {
		if inserted {
			res.Inserted++
		} else {
			res.Updated++
		}
		return nil
	}); err != nil {
		return res, refused(err)
	}

	if opt.Full {
		tag, err := tx.Exec(ctx, `UPDATE `+table+` SET closed_on = $1, updated_at = now()
			WHERE closed_on IS NULL AND id NOT IN (SELECT id FROM stage)`, date(opt.ClosedOn))
		if err != nil {
			return res, refused(err)
		}
		res.Closed = int(tag.RowsAffected())
	}
	switch rec.Kind {
	case "childcare", "nursing_room":
		if err := assignTownships(ctx, tx); err != nil { // the points in a township but in none of its villages
			return res, err
		}
	case "paediatricians":
		if err := assignRegions(ctx, tx, `WHERE f2.id IN (SELECT id FROM stage)`); err != nil {
			return res, err
		}
	case "regions":
		if err := assignRegions(ctx, tx, ""); err != nil { // boundaries moved: place everything again
			return res, err
		}
	}
	if opt.DryRun {
		return res, nil // the deferred rollback undoes it all
	}
	if res.Inserted+res.Updated+res.Closed > 0 {
		if _, err := tx.Exec(ctx, qTouchGenerated); err != nil {
			return res, err
		}
	}
	if err := finish(ctx, tx, rec.Kind, opt.Source, opt.SHA256, res); err != nil {
		return res, err
	}
	return res, tx.Commit(ctx)
}

// Placing staged facilities: an index on the staged points, then village by
// village the points each covers (one polygon against many points, so
// PostGIS prepares it once); of several covering villages the smallest code
// wins, as in the snapshot, and the township is the village's parent.
const (
	qIndexStage         = `CREATE INDEX ON stage USING gist ((ST_SetSRID(ST_MakePoint(lon, lat), 4326)))`
	qPickStagedVillages = `SELECT DISTINCT ON (c.id) c.id, r.code, r.parent_code
		FROM public_data.region r
		CROSS JOIN LATERAL (SELECT s2.id FROM stage s2 WHERE ST_Covers(r.geom, ST_SetSRID(ST_MakePoint(s2.lon, s2.lat), 4326))) AS c
		WHERE r.level = 'village'
		ORDER BY c.id, r.code`
)

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// refused names the constraint a database refusal came from.
func refused(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Code, "23") {
		return fmt.Errorf("%w: %s (%s)", ErrRefused, pe.Message, pe.ConstraintName)
	}
	return err
}
