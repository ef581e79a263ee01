package postgis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"shanyu/source/imports"
)

// BadRows is an import refused row by row by a check only the database can
// make (a boundary's validity): each problem has its line and the fix.
type BadRows struct {
	Problems []imports.Problem
}

func (e *BadRows) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("%d bad rows: %s", len(e.Problems), strings.Join(parts, "; "))
}

// ErrOrder is returned when facilities arrive before the regions they must
// be checked against and placed in.
var ErrOrder = errors.New("the database holds no county region yet: import in this order — " +
	"regions, then population, then childcare, nursing_room and paediatricians")

// invalidBoundaries lists the staged boundaries PostGIS finds invalid, with
// ST_IsValidReason's words: a self-intersection and where it is.
func invalidBoundaries(ctx context.Context, tx pgx.Tx, query string) (map[string]string, error) {
	rows, _ := tx.Query(ctx, query)
	out := map[string]string{}
	var code, reason string
	_, err := pgx.ForEachRow(rows, []any{&code, &reason}, func() error { out[code] = reason; return nil })
	return out, err
}

// Staged boundaries PostGIS finds invalid, by code (the staging tables of
// Import and ReplaceAll).
const (
	qInvalidStaged = `SELECT code, ST_IsValidReason(ST_GeomFromWKB(geom, 4326)) FROM stage
		WHERE geom IS NOT NULL AND NOT ST_IsValid(ST_GeomFromWKB(geom, 4326)) ORDER BY code`
	qInvalidStagedRegion = `SELECT code, ST_IsValidReason(ST_GeomFromWKB(wkb, 4326)) FROM stage_region
		WHERE wkb IS NOT NULL AND NOT ST_IsValid(ST_GeomFromWKB(wkb, 4326)) ORDER BY code`
	qHasCounty = `SELECT EXISTS (SELECT 1 FROM public_data.region WHERE level = 'county')`
	qVillages  = `SELECT code, ST_AsBinary(geom) FROM public_data.region WHERE level = 'village' AND geom IS NOT NULL`
)

// boundaryFix is what to tell an office about an invalid boundary.
const boundaryFix = "redraw or repair it (in QGIS: Vector › Geometry Tools › Fix Geometries) and import the file again"

// Villages returns the village boundaries by code, for checking the
// villages a facility file declares.
func Villages(ctx context.Context, q Querier) (map[string]orb.MultiPolygon, error) {
	rows, _ := q.Query(ctx, qVillages)
	out := map[string]orb.MultiPolygon{}
	var code string
	var b []byte
	_, err := pgx.ForEachRow(rows, []any{&code, &b}, func() error {
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return fmt.Errorf("village %s: %w", code, err)
		}
		if mp, ok := g.(orb.MultiPolygon); ok {
			out[code] = mp
		}
		return nil
	})
	return out, err
}
