package postgis_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"shanyu/county"
	"shanyu/data/sample/generator"
	"shanyu/indicators"
	"shanyu/internal/pgtest"
	"shanyu/source/postgis"
)

// smallCounty is a county of two townships and three villages, with
// population and Poisson microdata, small enough to publish in a test.
func smallCounty() (*county.Dataset, *indicators.Microdata) {
	sq := func(x0, x1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, 27}, {x1, 27}, {x1, 28}, {x0, 28}, {x0, 27}}}}
	}
	ds := &county.Dataset{Meta: county.Meta{Title: "small", CountyCode: "100000"}, Policy: generator.QingyuanPolicy(), Regions: []county.Region{
		{Code: "100000", Level: "county", NameZh: "县", Geometry: sq(119, 121)},
		{Code: "100000001", Level: "township", NameZh: "甲镇", ParentCode: "100000", Geometry: sq(119, 120)},
		{Code: "100000002", Level: "township", NameZh: "乙镇", ParentCode: "100000", Geometry: sq(120, 121)},
		{Code: "100000001001", Level: "village", NameZh: "一村", ParentCode: "100000001", Geometry: sq(119, 119.5)},
		{Code: "100000001002", Level: "village", NameZh: "二村", ParentCode: "100000001", Geometry: sq(119.5, 120)},
		{Code: "100000002001", Level: "village", NameZh: "三村", ParentCode: "100000002", Geometry: sq(120, 121)},
	}}
	r := rand.New(rand.NewPCG(8, 9))
	md := &indicators.Microdata{}
	n := 0
	pops := map[string]int{"100000001001": 3000, "100000001002": 800, "100000002001": 5000}
	for y := 2020; y <= 2022; y++ {
		total := map[string]int{}
		for v, p := range pops {
			t := v[:9]
			total[t] += p
			total["100000"] += p
			ds.Population = append(ds.Population, county.Population{Code: v, Year: y, Total: p, Under3: p / 50, Age0to14: p / 7, Age15to64: p - p/7 - p/5, Age65Plus: p / 5})
			for k := 0; k < p/100+r.IntN(5); k++ {
				n++
				md.Births = append(md.Births, indicators.Birth{ID: fmt.Sprint("B", n), Village: v, Date: fmt.Sprintf("%d-03-01", y), Order: 1 + r.IntN(3), MotherAge: "25-29"})
				md.Pregnancies = append(md.Pregnancies, indicators.Pregnancy{ID: fmt.Sprint("P", n), Village: v, Date: fmt.Sprintf("%d-01-01", y), Order: 1, Screened: r.IntN(10) > 0})
			}
			for k := 0; k < p/90; k++ {
				n++
				md.Deaths = append(md.Deaths, indicators.Death{ID: fmt.Sprint("D", n), Village: v, Date: fmt.Sprintf("%d-06-01", y)})
				md.Marriages = append(md.Marriages, indicators.Marriage{ID: fmt.Sprint("M", n), Village: v, Date: fmt.Sprintf("%d-06-01", y), Checked: r.IntN(8) > 0})
			}
		}
		for code, p := range total {
			ds.Population = append(ds.Population, county.Population{Code: code, Year: y, Total: p, Under3: p / 50, Age0to14: p / 7, Age15to64: p - p/7 - p/5, Age65Plus: p / 5})
		}
		for _, b := range indicators.AgeBands {
			md.Women = append(md.Women, indicators.WomenCount{Year: y, Band: b, Women: 250})
		}
	}
	return ds, md
}

// TestPublishFromPrivateMicrodata: microdata go into the private schema,
// publish protects and writes the public tables and the private audit log,
// the snapshot serves the release, and the API's role still cannot read the
// microdata or the log.
func TestPublishFromPrivateMicrodata(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	p := pool(t, url)
	ds, md := smallCounty()
	if _, err := postgis.ReplaceAll(ctx, p, ds, "small", "test"); err != nil {
		t.Fatal(err)
	}
	if err := postgis.SaveMicrodata(ctx, p, md); err != nil {
		t.Fatal(err)
	}
	back, err := postgis.LoadMicrodata(ctx, p)
	if err != nil || len(back.Births) != len(md.Births) || len(back.Women) != len(md.Women) {
		t.Fatalf("microdata round trip: %v", err)
	}
	pub, err := postgis.Publish(ctx, p, indicators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Audit.Pass || pub.Audit.Suppressed == 0 {
		t.Errorf("audit %+v", pub.Audit)
	}
	reader := pool(t, pgtest.ReaderURL(t, url))
	snap, err := postgis.LoadSnapshot(ctx, reader)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Published() == nil || snap.Published().Audit.ID != pub.Audit.ID {
		t.Fatalf("the snapshot does not serve the release")
	}
	for _, q := range []string{`SELECT count(*) FROM private.birth`, `SELECT count(*) FROM private.audit_log`} {
		var n int
		if err := reader.QueryRow(ctx, q).Scan(&n); pgErrCode(err) != "42501" {
			t.Errorf("%s through the API's role: %v", q, err)
		}
	}
	var logs int
	_ = p.QueryRow(ctx, `SELECT count(*) FROM private.audit_log`).Scan(&logs)
	if logs != 1 {
		t.Errorf("%d audit logs", logs)
	}
}
