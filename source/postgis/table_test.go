package postgis_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"shanyu/internal/pgtest"
	"shanyu/source/table"
)

// TestDescriptorsMatchTheSchema checks every database column the table
// descriptors name against the migrated schema, so a column renamed in one
// place and not the other fails here rather than at an office's import.
func TestDescriptorsMatchTheSchema(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, k := range table.Kinds {
		rows, _ := conn.Query(ctx, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = 'public_data' AND table_name = $1`, k.DBTable)
		have, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if len(have) == 0 {
			t.Errorf("%s: no table public_data.%s", k.Name, k.DBTable)
		}
		for _, c := range k.DBColumns() {
			if !slices.Contains(have, c) {
				t.Errorf("%s: public_data.%s has no column %s", k.Name, k.DBTable, c)
			}
		}
		if k.HasPoint() && !slices.Contains(have, "geom") {
			t.Errorf("%s: points but no geom column", k.Name)
		}
	}
}
