package postgis_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"shanyu/county"
	"shanyu/data/sample"
	"shanyu/internal/pgtest"
	"shanyu/snapshot"
	"shanyu/source/bundle"
	"shanyu/source/postgis"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func pool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	p, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func sampleDataset(t *testing.T) *county.Dataset {
	t.Helper()
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestMigrateUpDownUp(t *testing.T) {
	ctx := context.Background()
	conn := connect(t, pgtest.EmptyDB(t))
	schemas := func() int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname IN ('public_data', 'private')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for step, target := range []int32{-1, 0, -1} {
		if err := postgis.Migrate(ctx, conn, target); err != nil {
			t.Fatalf("step %d: migrate to %d: %v", step, target, err)
		}
		v, names, err := postgis.MigrationStatus(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		want, wantSchemas := int32(len(names)), 2
		if target == 0 {
			want, wantSchemas = 0, 0
		}
		if v != want || schemas() != wantSchemas {
			t.Errorf("step %d: version %d with %d schemas, want %d with %d", step, v, schemas(), want, wantSchemas)
		}
	}
}

// TestBundleRoundTrip puts the sample into PostGIS and reads it back: the
// same version (the canonical encoding's hash), the same answers to the
// same queries, and ST_Covers placing every facility where the snapshot does.
func TestBundleRoundTrip(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	p := pool(t, url)
	ds := sampleDataset(t)
	want, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	res, err := postgis.ReplaceAll(ctx, p, ds, "sample", "test")
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows == 0 {
		t.Fatal("nothing imported")
	}
	got, err := postgis.LoadSnapshot(ctx, pool(t, pgtest.ReaderURL(t, url)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != want.Version {
		t.Errorf("version from PostGIS %s, from the bundle %s", got.Version, want.Version)
	}
	for _, q := range []snapshot.Query{
		{Limit: -1},
		{Kinds: []county.Kind{county.Childcare}, Region: "331126001", Limit: 20, OpenOn: "2025-06-01"},
		{Near: &orb.Point{119.06, 27.62}, Limit: 10},
	} {
		a, na := got.Facilities(q)
		b, nb := want.Facilities(q)
		if na != nb || len(a) != len(b) {
			t.Fatalf("query %+v: PostGIS %d/%d, bundle %d/%d", q, len(a), na, len(b), nb)
		}
		for i := range a {
			if a[i].Facility.ID != b[i].Facility.ID || a[i].Place != b[i].Place {
				t.Errorf("query %+v item %d: %s in %+v vs %s in %+v", q, i, a[i].Facility.ID, a[i].Place, b[i].Facility.ID, b[i].Place)
			}
		}
	}
	// The codes PostGIS assigned agree with the snapshot's placement.
	rows, _ := p.Query(ctx, `SELECT id, coalesce(township_code, ''), coalesce(village_code, '') FROM public_data.childcare
		UNION ALL SELECT id, coalesce(township_code, ''), coalesce(village_code, '') FROM public_data.nursing_room`)
	n := 0
	for rows.Next() {
		var id, town, village string
		if err := rows.Scan(&id, &town, &village); err != nil {
			t.Fatal(err)
		}
		_, pl, err := want.Facility(id)
		if err != nil || pl.Township != town || pl.Village != village {
			t.Errorf("%s: PostGIS placed it in %s/%s, the snapshot in %+v", id, town, village, pl)
		}
		n++
	}
	if n != want.Counts().Childcare+want.Counts().NursingRooms {
		t.Errorf("compared %d facilities", n)
	}
}

func pgErrCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestConstraintsRefuseBadData: what the schema makes impossible to store.
func TestConstraintsRefuseBadData(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	p := pool(t, url)
	if _, err := postgis.ReplaceAll(ctx, p, sampleDataset(t), "sample", "test"); err != nil {
		t.Fatal(err)
	}
	const cc = `INSERT INTO public_data.childcare (id, name_zh, operator_type, inclusive, filed, geom, slots_mixed, enrolled_mixed, township_code) VALUES `
	const nr = `INSERT INTO public_data.nursing_room (id, name_zh, venue_type, star, geom, amenities) VALUES `
	for _, tt := range []struct{ name, sql, code string }{
		{"longitude out of range", cc + `('X1', '甲', 'public', true, true, ST_SetSRID(ST_MakePoint(200, 27), 4326), 10, 5, NULL)`, "23514"},
		{"wrong SRID", cc + `('X2', '甲', 'public', true, true, ST_SetSRID(ST_MakePoint(119, 27), 3857), 10, 5, NULL)`, "22023"},
		{"negative slots", cc + `('X3', '甲', 'public', true, true, ST_SetSRID(ST_MakePoint(119, 27), 4326), -1, 0, NULL)`, "23514"},
		{"enrolment above slots", cc + `('X4', '甲', 'public', true, true, ST_SetSRID(ST_MakePoint(119, 27), 4326), 10, 11, NULL)`, "23514"},
		{"unknown operator", cc + `('X5', '甲', 'charity', true, true, ST_SetSRID(ST_MakePoint(119, 27), 4326), 10, 5, NULL)`, "23514"},
		{"unknown region code", cc + `('X6', '甲', 'public', true, true, ST_SetSRID(ST_MakePoint(119, 27), 4326), 10, 5, '999999999')`, "23503"},
		{"duplicate id", cc + `('CC0001', '甲', 'public', true, true, ST_SetSRID(ST_MakePoint(119, 27), 4326), 10, 5, NULL)`, "23505"},
		{"star 4", nr + `('Y1', '乙', 'mall', 4, ST_SetSRID(ST_MakePoint(119, 27), 4326), '{}')`, "23514"},
		{"unknown amenity", nr + `('Y2', '乙', 'mall', 2, ST_SetSRID(ST_MakePoint(119, 27), 4326), '{jacuzzi}')`, "23514"},
		{"invalid polygon", `INSERT INTO public_data.region (code, level, name_zh, parent_code, geom) VALUES ('331126999', 'township', '丙', '331126',
			ST_Multi(ST_GeomFromText('POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))', 4326)))`, "23514"},
		{"code not nested in parent", `INSERT INTO public_data.region (code, level, name_zh, parent_code) VALUES ('331127001', 'township', '丁', '331126')`, "23514"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Exec(ctx, tt.sql)
			if code := pgErrCode(err); code != tt.code {
				t.Errorf("got %v (SQLSTATE %s), want SQLSTATE %s", err, code, tt.code)
			}
		})
	}
}

// TestReplaceAllIsAtomic: a dataset the database refuses (an amenity only
// the database checks) changes nothing.
func TestReplaceAllIsAtomic(t *testing.T) {
	ctx := context.Background()
	p := pool(t, pgtest.DB(t))
	if _, err := postgis.ReplaceAll(ctx, p, sampleDataset(t), "sample", "test"); err != nil {
		t.Fatal(err)
	}
	before, _ := postgis.LoadSnapshot(ctx, p)
	bad := sampleDataset(t)
	for i := range bad.Facilities {
		if bad.Facilities[i].Kind == county.NursingRoom {
			bad.Facilities[i].Amenities = append(bad.Facilities[i].Amenities, "jacuzzi")
			break
		}
	}
	bad.Facilities[0].NameZh = "改过的名字"
	if _, err := postgis.ReplaceAll(ctx, p, bad, "bad", "test"); err == nil {
		t.Fatal("the database accepted an unknown amenity")
	}
	after, err := postgis.LoadSnapshot(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version {
		t.Error("a refused import changed the data")
	}
	var logs int
	_ = p.QueryRow(ctx, `SELECT count(*) FROM public_data.import_log`).Scan(&logs)
	if logs != 1 {
		t.Errorf("import log has %d rows, want 1 (the refused import is not logged)", logs)
	}
}

// TestReadOnlyRole: the API's role passes the check and cannot write; a
// role that can write, one that can read private data, and a superuser
// are refused.
func TestReadOnlyRole(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	reader := pool(t, pgtest.ReaderURL(t, url))
	if err := postgis.CheckReadOnly(ctx, reader); err != nil {
		t.Errorf("the reader role was refused: %v", err)
	}
	_, err := reader.Exec(ctx, `INSERT INTO public_data.dataset (meta) VALUES ('{}')`)
	if pgErrCode(err) != "42501" {
		t.Errorf("INSERT through the API's role: %v, want permission denied (42501)", err)
	}
	if _, err := reader.Exec(ctx, `CREATE TABLE private.x (a int)`); pgErrCode(err) != "42501" {
		t.Errorf("CREATE in private through the API's role: %v, want 42501", err)
	}
	for name, u := range map[string]string{
		"writer":         pgtest.WriterURL(t, url),
		"private reader": pgtest.PrivateReaderURL(t, url),
		"superuser":      url,
	} {
		err := postgis.CheckReadOnly(ctx, pool(t, u))
		if !errors.Is(err, postgis.ErrNotReadOnly) {
			t.Errorf("%s: CheckReadOnly = %v, want ErrNotReadOnly", name, err)
		}
	}
}

// TestWatchReloadsOnImport: a committed import reaches a watcher within
// two seconds; a rolled-back one never does.
func TestWatchReloadsOnImport(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := pgtest.DB(t)
	p := pool(t, url)
	var reloads atomic.Int32
	changed := make(chan struct{}, 1)
	src := &postgis.Source{URL: pgtest.ReaderURL(t, url)}
	go src.Watch(ctx, changed, func(error) {})
	go func() {
		for range changed {
			reloads.Add(1)
		}
	}()
	if !pgtest.Wait(5*time.Second, func() bool { return reloads.Load() == 1 }) {
		t.Fatal("no first load")
	}
	tx, _ := p.Begin(ctx)
	_, _ = tx.Exec(ctx, `SELECT pg_notify($1, 'x')`, postgis.Channel)
	_ = tx.Rollback(ctx)
	start := time.Now()
	if _, err := postgis.ReplaceAll(ctx, p, sampleDataset(t), "sample", "test"); err != nil {
		t.Fatal(err)
	}
	if !pgtest.Wait(2*time.Second, func() bool { return reloads.Load() == 2 }) {
		t.Fatalf("after the import: %d reloads, want 2 within 2 s", reloads.Load())
	}
	t.Logf("reload %v after commit", time.Since(start))
	time.Sleep(200 * time.Millisecond)
	if n := reloads.Load(); n != 2 {
		t.Errorf("%d reloads: the rolled-back notification must not count", n)
	}
	if !strings.HasPrefix(url, "postgres://") {
		t.Errorf("url %q", url)
	}
}

func filesRead() (*county.Dataset, error) { return bundle.Read(sample.Bundle()) }
