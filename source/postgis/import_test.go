package postgis_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"shanyu/internal/pgtest"
	"shanyu/source/imports"
	"shanyu/source/postgis"
)

// withSample returns a pool on a fresh database holding the sample county.
func withSample(t *testing.T) *pgxpool.Pool {
	t.Helper()
	p := pool(t, pgtest.DB(t))
	if _, err := postgis.ReplaceAll(context.Background(), p, sampleDataset(t), "sample", "test"); err != nil {
		t.Fatal(err)
	}
	return p
}

func records(t *testing.T, p *pgxpool.Pool, kind, name, body string) *imports.Records {
	t.Helper()
	tab, err := imports.ReadTable(name, []byte(body), imports.Specs[kind])
	if err != nil {
		t.Fatal(err)
	}
	codes, county, err := postgis.RegionContext(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return imports.Parse(kind, tab, imports.Options{Regions: codes, County: county})
}

const newCentres = `机构编号,机构名称,举办性质,是否普惠,是否备案,经度,纬度,托大班托位,托大班在托
NEW001,松源新苗托育园,民办普惠,是,是,119.061,27.618,20,18
NEW002,竹口托育点,公办,是,是,119.20,27.70,15,10
`

func count(t *testing.T, p *pgxpool.Pool, q string, args ...any) int {
	t.Helper()
	var n int
	if err := p.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportUpsertIsIdempotent(t *testing.T) {
	ctx := context.Background()
	p := withSample(t)
	before := count(t, p, `SELECT count(*) FROM public_data.childcare`)
	rec := records(t, p, "childcare", "new.csv", newCentres)
	res, err := postgis.Import(ctx, p, rec, postgis.ImportOptions{Source: "new.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 2 || res.Updated != 0 || count(t, p, `SELECT count(*) FROM public_data.childcare`) != before+2 {
		t.Fatalf("first import: %+v", res)
	}
	// ST_Covers placed the new centre.
	var town, village string
	if err := p.QueryRow(ctx, `SELECT township_code, village_code FROM public_data.childcare WHERE id = 'NEW001'`).Scan(&town, &village); err != nil {
		t.Fatal(err)
	}
	if town != "331126001" || !strings.HasPrefix(village, town) {
		t.Errorf("NEW001 placed in %s / %s", town, village)
	}
	var stamp string
	_ = p.QueryRow(ctx, `SELECT updated_at::text FROM public_data.childcare WHERE id = 'NEW001'`).Scan(&stamp)

	again, err := postgis.Import(ctx, p, records(t, p, "childcare", "new.csv", newCentres), postgis.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var stamp2 string
	_ = p.QueryRow(ctx, `SELECT updated_at::text FROM public_data.childcare WHERE id = 'NEW001'`).Scan(&stamp2)
	if again.Inserted != 0 || again.Updated != 0 || stamp2 != stamp {
		t.Errorf("re-importing the same file changed something: %+v, updated_at %s → %s", again, stamp, stamp2)
	}

	changed := strings.Replace(newCentres, "竹口托育点,公办,是,是,119.20,27.70,15,10", "竹口托育点,公办,是,是,119.20,27.70,15,12", 1)
	upd, err := postgis.Import(ctx, p, records(t, p, "childcare", "new.csv", changed), postgis.ImportOptions{})
	if err != nil || upd.Updated != 1 || upd.Inserted != 0 {
		t.Errorf("one changed row: %+v, %v", upd, err)
	}
}

// TestFullImportClosesAbsentFacilities: a full import keeps every facility
// and marks the ones it leaves out closed with the date.
func TestFullImportClosesAbsentFacilities(t *testing.T) {
	ctx := context.Background()
	p := withSample(t)
	open := count(t, p, `SELECT count(*) FROM public_data.childcare WHERE closed_on IS NULL`)
	all := count(t, p, `SELECT count(*) FROM public_data.childcare`)
	res, err := postgis.Import(ctx, p, records(t, p, "childcare", "all.csv", newCentres),
		postgis.ImportOptions{Full: true, ClosedOn: "2026-06-30"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Closed != open || count(t, p, `SELECT count(*) FROM public_data.childcare`) != all+2 {
		t.Errorf("full import closed %d (want %d) and the table has %d rows (want %d)", res.Closed, open,
			count(t, p, `SELECT count(*) FROM public_data.childcare`), all+2)
	}
	if n := count(t, p, `SELECT count(*) FROM public_data.childcare WHERE closed_on = '2026-06-30'`); n != open {
		t.Errorf("%d closed on the date, want %d", n, open)
	}
	again, _ := postgis.Import(ctx, p, records(t, p, "childcare", "all.csv", newCentres),
		postgis.ImportOptions{Full: true, ClosedOn: "2026-07-31"})
	if again.Closed != 0 || again.Inserted != 0 || again.Updated != 0 {
		t.Errorf("the same full import again changed %+v", again)
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	ctx := context.Background()
	p := withSample(t)
	before := count(t, p, `SELECT count(*) FROM public_data.childcare`)
	res, err := postgis.Import(ctx, p, records(t, p, "childcare", "new.csv", newCentres), postgis.ImportOptions{DryRun: true, Full: true})
	if err != nil || res.Inserted != 2 || res.Closed == 0 {
		t.Fatalf("dry run reported %+v, %v", res, err)
	}
	if count(t, p, `SELECT count(*) FROM public_data.childcare`) != before ||
		count(t, p, `SELECT count(*) FROM public_data.childcare WHERE closed_on IS NOT NULL`) != 7 ||
		count(t, p, `SELECT count(*) FROM public_data.import_log`) != 1 {
		t.Error("a dry run changed the database")
	}
}

// TestRefusedImportChangesNothing: a file with a bad row is refused whole,
// and a row only the database refuses (unknown amenity is caught earlier,
// so use a constraint the parser does not know: an id too long for the
// table is caught by both; here a duplicate of a region code) rolls back.
func TestRefusedImportChangesNothing(t *testing.T) {
	ctx := context.Background()
	p := withSample(t)
	bad := newCentres + "NEW003,坏行,公办,是,是,200,27.6,10,5\n"
	rec := records(t, p, "childcare", "bad.csv", bad)
	if len(rec.Problems) != 1 || rec.Problems[0].Line != 4 {
		t.Fatalf("problems %v, want one on line 4", rec.Problems)
	}
	if _, err := postgis.Import(ctx, p, rec, postgis.ImportOptions{}); err == nil {
		t.Fatal("a file with a bad row was imported")
	}
	if n := count(t, p, `SELECT count(*) FROM public_data.childcare WHERE id LIKE 'NEW%'`); n != 0 {
		t.Errorf("%d rows of a refused file were written", n)
	}
	// Population of a region that a concurrent change removed: the parser
	// checked codes against an older view, the database refuses.
	pop := records(t, p, "population", "pop.csv", "code,year,total,under_3,age_0_14,age_15_64,age_65_plus\n331126,2026,100,2,10,70,20\n")
	pop.Population = append(pop.Population, pop.Population[0])
	pop.Population[1].Code = "331126999999"
	_, err := postgis.Import(ctx, p, pop, postgis.ImportOptions{})
	if !errors.Is(err, postgis.ErrRefused) {
		t.Errorf("import of an unknown code: %v, want ErrRefused", err)
	}
	if n := count(t, p, `SELECT count(*) FROM public_data.population WHERE year = 2026`); n != 0 {
		t.Errorf("%d population rows of a refused import were written", n)
	}
}

func TestImportOtherKinds(t *testing.T) {
	ctx := context.Background()
	p := withSample(t)
	pop := "区划代码,年份,常住人口,0-2岁,0-14岁,15-64岁,65岁及以上\n331126001,2026,31200,640,4800,21500,4900\n"
	res, err := postgis.Import(ctx, p, records(t, p, "population", "pop.csv", pop), postgis.ImportOptions{})
	if err != nil || res.Inserted != 1 {
		t.Errorf("population: %+v, %v", res, err)
	}
	paed := "编号,机构名称,机构类型,经度,纬度,儿科医师数\nPD0001,庆元县人民医院,县人民医院,119.025453,27.574693,9\n"
	res, err = postgis.Import(ctx, p, records(t, p, "paediatricians", "paed.csv", paed), postgis.ImportOptions{})
	if err != nil || res.Updated != 1 {
		t.Errorf("paediatricians: %+v, %v", res, err)
	}
	regions := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"331126001099","level":"village","name_zh":"新区社区","parent_code":"331126001","new_community":true},
		"geometry":{"type":"Polygon","coordinates":[[[119.05,27.60],[119.051,27.60],[119.051,27.601],[119.05,27.601],[119.05,27.60]]]}}]}`
	res, err = postgis.Import(ctx, p, records(t, p, "regions", "r.geojson", regions), postgis.ImportOptions{})
	if err != nil || res.Inserted != 1 {
		t.Errorf("regions: %+v, %v", res, err)
	}
	snap, err := postgis.LoadSnapshot(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := snap.Region("331126001099"); err != nil || !r.NewCommunity {
		t.Errorf("imported region: %+v, %v", r, err)
	}
}
