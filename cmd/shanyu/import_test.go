package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/encoding/simplifiedchinese"

	"shanyu/internal/pgtest"
)

func countRows(t *testing.T, db, q string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportCommand imports an office's GB18030 CSV with Chinese headers
// the way the README shows, twice (the second changes nothing), then a
// file with bad rows (every one reported, nothing written), then a dry run.
func TestImportCommand(t *testing.T) {
	db := pgtest.DB(t)
	mustRun(t, db, "import-bundle", "--sample")
	dir := t.TempDir()
	csv := "机构编号,机构名称,举办性质,是否普惠,是否备案,经度,纬度,托大班托位,托大班在托\n" +
		"NEW001,松源新苗托育园,民办普惠,是,是,119.061,27.618,20,18\n" +
		"NEW002,竹口托育点,公办,是,是,119.20,27.70,15,10\n"
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(csv))
	good := filepath.Join(dir, "托育机构.csv")
	if err := os.WriteFile(good, gb, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, db, "import", "--kind", "childcare", good); !strings.Contains(out, "2 rows — 2 new, 0 updated, 0 closed") {
		t.Errorf("first import said %q", out)
	}
	if out := mustRun(t, db, "import", "--kind", "childcare", good); !strings.Contains(out, "2 rows — 0 new, 0 updated, 0 closed") {
		t.Errorf("second import said %q", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	_ = os.WriteFile(bad, []byte(csv+"NEW003,坏行,公办,是,是,200,27.6,10,5\nNEW001,重复,公办,是,是,119.06,27.61,10,12\n"), 0o644)
	out, err := run(t, db, "import", "--kind", "childcare", bad)
	if err == nil {
		t.Fatal("a file with bad rows was accepted")
	}
	for _, want := range []string{"2 bad rows (3 problems); nothing imported", "line 4, lon/lat: longitude 200 is outside -180..180",
		"line 5, id: NEW001 is already on line 2", "line 5, enrolled_toddler_large: 12 enrolled is above the 10 approved"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	before := countRows(t, db, `SELECT count(*) FROM public_data.childcare WHERE closed_on IS NULL`)
	out = mustRun(t, db, "import", "--kind", "childcare", "--full", "--dry-run", good)
	if !strings.Contains(out, "dry run: nothing written") || !strings.Contains(out, fmt.Sprintf("%d closed", before-2)) {
		t.Errorf("dry run said %q", out)
	}
	if after := countRows(t, db, `SELECT count(*) FROM public_data.childcare WHERE closed_on IS NULL`); after != before {
		t.Errorf("the dry run closed %d centres", before-after)
	}
	if out, err := run(t, db, "import", "--kind", "schools", good); err == nil || !strings.Contains(out, "--kind must be one of") {
		t.Errorf("unknown kind: %v %s", err, out)
	}
}

// TestImportKilledHalfway kills an import of 150,000 rows while it writes:
// nothing of it is in the database afterwards.
func TestImportKilledHalfway(t *testing.T) {
	db := pgtest.DB(t)
	mustRun(t, db, "import-bundle", "--sample")
	before := countRows(t, db, `SELECT count(*) FROM public_data.childcare`)
	path := filepath.Join(t.TempDir(), "big.csv")
	var b strings.Builder
	b.WriteString("id,name_zh,operator_type,inclusive,filed,lon,lat,slots_mixed,enrolled_mixed\n")
	for i := 0; i < 150000; i++ {
		fmt.Fprintf(&b, "BIG%06d,大批量%d,public,true,true,%.5f,%.5f,10,5\n", i, i, 119.0+float64(i%500)*0.0002, 27.60+float64(i/500)*0.0001)
	}
	_ = os.WriteFile(path, []byte(b.String()), 0o644)

	cmd := exec.Command(binary, "import", "--kind", "childcare", path)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+db+"&application_name=shanyu-import-killed")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Writing: inside the import's transaction, past its first statements
	// (staging, COPY, upsert or the ST_Covers placement).
	writing := pgtest.Wait(120*time.Second, func() bool {
		return countRows(t, db, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shanyu-import-killed'
			AND state IN ('active', 'idle in transaction') AND xact_start IS NOT NULL
			AND (query ILIKE '%copy%' OR query ILIKE '%insert%' OR query ILIKE '%update%' OR query ILIKE '%temp table%')`) > 0
	})
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if !writing {
		t.Fatal("never saw the import writing")
	}
	pgtest.Wait(5*time.Second, func() bool {
		return countRows(t, db, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shanyu-import-killed'`) == 0
	})
	if after := countRows(t, db, `SELECT count(*) FROM public_data.childcare`); after != before {
		t.Errorf("after the killed import the table has %d rows, had %d", after, before)
	}
	if n := countRows(t, db, `SELECT count(*) FROM public_data.import_log`); n != 1 {
		t.Errorf("import log has %d rows, want the bundle's only", n)
	}
}
