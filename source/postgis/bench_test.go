package postgis_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"shanyu/county"
	"shanyu/internal/pgtest"
	"shanyu/source/imports"
	"shanyu/source/postgis"
)

// BenchmarkImport100k imports a generated 100,000-row childcare CSV with
// Chinese headers into the sample county: parse, check every row (county
// boundary included), stage, upsert, place with ST_Covers, commit.
func BenchmarkImport100k(b *testing.B) {
	ctx := context.Background()
	p, err := pgxpool.New(ctx, pgtest.DB(b))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ds := sampleDatasetB(b)
	if _, err := postgis.ReplaceAll(ctx, p, ds, "sample", "bench"); err != nil {
		b.Fatal(err)
	}
	codes, county, err := postgis.RegionContext(ctx, p)
	if err != nil {
		b.Fatal(err)
	}
	round := 0
	for b.Loop() {
		round++
		var sb strings.Builder
		sb.WriteString("机构编号,机构名称,举办性质,是否普惠,是否备案,经度,纬度,托大班托位,托大班在托\n")
		for i := 0; i < 100_000; i++ {
			fmt.Fprintf(&sb, "R%dN%06d,批量托育园%d,民办普惠,是,是,%.6f,%.6f,20,15\n", round, i, i,
				119.0+float64(i%300)*0.0003, 27.55+float64(i/300)*0.0003)
		}
		tab, err := imports.ReadTable("big.csv", []byte(sb.String()), imports.Specs["childcare"])
		if err != nil {
			b.Fatal(err)
		}
		rec := imports.Parse("childcare", tab, imports.Options{Regions: codes, County: county})
		if len(rec.Problems) > 0 {
			b.Fatal(rec.Problems[0])
		}
		res, err := postgis.Import(ctx, p, rec, postgis.ImportOptions{Source: "bench"})
		if err != nil || res.Inserted != 100_000 {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkLoadSnapshot1M reads 1,000,000 facilities (half childcare, half
// mother-and-baby rooms, spread over eastern China) from PostGIS into a
// snapshot: one REPEATABLE READ transaction, decoding, validation, version
// hash and indexes.
func BenchmarkLoadSnapshot1M(b *testing.B) {
	ctx := context.Background()
	url := pgtest.DB(b)
	p, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	r := rand.New(rand.NewPCG(1, 2))
	ds := &county.Dataset{Meta: county.Meta{Title: "bench"}}
	for i := 0; i < 1_000_000; i++ {
		f := county.Facility{ID: fmt.Sprintf("F%07d", i), NameZh: fmt.Sprintf("第%d号", i), OpenedOn: "2020-01-01",
			Point:   orb.Point{float64(int((102+r.Float64()*21)*1e6)) / 1e6, float64(int((21+r.Float64()*21)*1e6)) / 1e6},
			Address: "某路1号", OpeningHours: "周一至周五 07:30-17:30"}
		if i%2 == 0 {
			f.Kind, f.OperatorType, f.Inclusive, f.Slots = county.Childcare, "public", true, county.ClassCounts{Mixed: 18}
		} else {
			f.Kind, f.VenueType, f.Star, f.Amenities = county.NursingRoom, "mall", 2, []string{"sink"}
		}
		ds.Facilities = append(ds.Facilities, f)
	}
	if _, err := postgis.ReplaceAll(ctx, p, ds, "bench", "bench"); err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for b.Loop() {
		snap, err := postgis.LoadSnapshot(ctx, conn)
		if err != nil || snap.Counts().Childcare != 500_000 {
			b.Fatal(err)
		}
	}
	// On a shared machine the wall time waits for other work; the CPU time
	// this process spent (Go side only: decoding, checks, hash, indexes) is
	// the steadier figure. The database's own time is in the wall time only.
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
}

// cpuSeconds is the user and system CPU time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func sampleDatasetB(b *testing.B) *county.Dataset {
	ds, err := filesRead()
	if err != nil {
		b.Fatal(err)
	}
	return ds
}
