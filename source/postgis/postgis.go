// Package postgis keeps shanyu's system of record in PostgreSQL + PostGIS:
// migrations, loading a Dataset for the snapshot, saving a whole bundle,
// checking that the API's role can only read, and watching for new
// publications.
//
// SQL stays visible: every statement is a constant next to the code that
// runs it, with values as $n parameters. Geometries travel as WKB
// (ST_AsBinary, ST_GeomFromWKB) so that pgx needs no PostGIS type.
package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"shanyu/county"
	"shanyu/indicators"
	"shanyu/migrations"
	"shanyu/snapshot"
)

// Channel is the LISTEN/NOTIFY channel on which a committed import or
// publication announces itself; running servers reload on it.
const Channel = "shanyu_publish"

// versionTable records which migrations have run.
const versionTable = "public.shanyu_schema_version"

// Querier is what loading needs: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// NewMigrator returns a tern migrator over the embedded migrations.
func NewMigrator(ctx context.Context, conn *pgx.Conn) (*migrate.Migrator, error) {
	m, err := migrate.NewMigrator(ctx, conn, versionTable)
	if err != nil {
		return nil, err
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		return nil, err
	}
	return m, nil
}

// MigrationsHash identifies the schema the embedded migrations make.
func MigrationsHash() (string, error) {
	names, err := migrate.FindMigrations(migrations.FS)
	if err != nil {
		return "", err
	}
	h := newHash()
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		h.add(n, b)
	}
	return h.sum(), nil
}

// Migrate brings the schema to version target (-1 for the latest).
func Migrate(ctx context.Context, conn *pgx.Conn, target int32) error {
	m, err := NewMigrator(ctx, conn)
	if err != nil {
		return err
	}
	if target < 0 {
		return m.Migrate(ctx)
	}
	return m.MigrateTo(ctx, target)
}

// MigrationStatus returns the applied version and the migrations known.
func MigrationStatus(ctx context.Context, conn *pgx.Conn) (current int32, names []string, err error) {
	m, err := NewMigrator(ctx, conn)
	if err != nil {
		return 0, nil, err
	}
	current, err = m.GetCurrentVersion(ctx)
	for _, mg := range m.Migrations {
		names = append(names, mg.Name)
	}
	return current, names, err
}

const (
	qMeta       = `SELECT meta FROM public_data.dataset WHERE id = 1`
	qRegions    = `SELECT code, level, name_zh, name_en, coalesce(parent_code, ''), new_community, illustrative, ST_AsBinary(geom) FROM public_data.region ORDER BY code`
	qPopulation = `SELECT code, year, total, under_3, age_0_14, age_15_64, age_65_plus FROM public_data.population ORDER BY code, year`
	// qFacilities reads both kinds in one pass, in id order by bytes (the
	// snapshot's order, whatever the database's collation), each row with
	// the other kind's columns empty.
	qFacilities = `SELECT true, id COLLATE "C" AS id, name_zh, ST_X(geom), ST_Y(geom), address, phone, opening_hours,
		coalesce(opened_on::text, ''), coalesce(closed_on::text, ''), operator_type, inclusive, filed, monthly_fee_yuan,
		slots_infant, slots_toddler_small, slots_toddler_large, slots_mixed,
		enrolled_infant, enrolled_toddler_small, enrolled_toddler_large, enrolled_mixed,
		'', 0, '{}'::text[], false
		FROM public_data.childcare
		UNION ALL
		SELECT false, id COLLATE "C", name_zh, ST_X(geom), ST_Y(geom), address, '', opening_hours,
		coalesce(opened_on::text, ''), coalesce(closed_on::text, ''), '', false, false, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		venue_type, star, amenities, accessible
		FROM public_data.nursing_room
		ORDER BY id`
	qCountFacilities = `SELECT (SELECT count(*) FROM public_data.childcare) + (SELECT count(*) FROM public_data.nursing_room)`
	qPaediatric      = `SELECT id, name_zh, type, ST_X(geom), ST_Y(geom), paediatricians FROM public_data.paediatric_unit ORDER BY id`
)

// Load reads the whole public dataset. It reads in one REPEATABLE READ
// transaction when q is a pool, so the tables agree with each other.
func Load(ctx context.Context, q Querier) (*county.Dataset, error) {
	ds := &county.Dataset{}
	var meta []byte
	switch err := q.QueryRow(ctx, qMeta).Scan(&meta); {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		if err := json.Unmarshal(meta, &ds.Meta); err != nil {
			return nil, fmt.Errorf("dataset description: %w", err)
		}
	}

	rows, _ := q.Query(ctx, qRegions)
	var err error
	ds.Regions, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (county.Region, error) {
		var r county.Region
		var g []byte
		if err := row.Scan(&r.Code, &r.Level, &r.NameZh, &r.NameEn, &r.ParentCode, &r.NewCommunity, &r.Illustrative, &g); err != nil {
			return r, err
		}
		if g != nil {
			geom, err := wkb.Unmarshal(g)
			if err != nil {
				return r, fmt.Errorf("region %s: %w", r.Code, err)
			}
			mp, ok := geom.(orb.MultiPolygon)
			if !ok {
				return r, fmt.Errorf("region %s: geometry is a %s", r.Code, geom.GeoJSONType())
			}
			r.Geometry = mp
		}
		return r, nil
	})
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}

	rows, _ = q.Query(ctx, qPopulation)
	ds.Population, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (county.Population, error) {
		var p county.Population
		err := row.Scan(&p.Code, &p.Year, &p.Total, &p.Under3, &p.Age0to14, &p.Age15to64, &p.Age65Plus)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("population: %w", err)
	}

	if ds.Facilities, err = loadFacilities(ctx, q); err != nil {
		return nil, fmt.Errorf("facilities: %w", err)
	}

	rows, _ = q.Query(ctx, qPaediatric)
	ds.Paediatric, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (county.PaediatricUnit, error) {
		var u county.PaediatricUnit
		err := row.Scan(&u.ID, &u.NameZh, &u.Type, &u.Point[0], &u.Point[1], &u.Paediatricians)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("paediatric units: %w", err)
	}
	var body []byte
	switch err := q.QueryRow(ctx, `SELECT body FROM public_data.publication WHERE id = 1`).Scan(&body); {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("publication: %w", err)
	default:
		ds.Published = &indicators.Publication{}
		if err := json.Unmarshal(body, ds.Published); err != nil {
			return nil, fmt.Errorf("publication: %w", err)
		}
	}
	if ds.Policy, err = loadPolicy(ctx, q); err != nil {
		return nil, err
	}
	if ds.Meta.GeneratedAt.IsZero() {
		var last *time.Time
		if err := q.QueryRow(ctx, qLastImport).Scan(&last); err != nil {
			return nil, fmt.Errorf("import log: %w", err)
		}
		if last != nil {
			ds.Meta.GeneratedAt = last.UTC().Truncate(time.Second)
		}
	}
	if ds.Meta.CountyCode == "" {
		for _, r := range ds.Regions {
			if r.Level == county.LevelCounty {
				ds.Meta.CountyCode = r.Code
				break
			}
		}
	}
	return ds, nil
}

// LoadSnapshot reads the dataset in one consistent transaction and builds
// its snapshot, for tools and tests; a service follows a Source instead.
func LoadSnapshot(ctx context.Context, db interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}) (*snapshot.Snapshot, error) {
	ds, v, err := loadDataset(ctx, db)
	if err != nil {
		return nil, err
	}
	return snapshot.New(ds, v), nil
}
