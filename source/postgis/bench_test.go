package postgis_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
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
	cfg, err := pgxpool.ParseConfig(pgtest.DB(b))
	if err != nil {
		b.Fatal(err)
	}
	steps := &stepTimer{}
	cfg.ConnConfig.Tracer = steps
	p, err := pgxpool.NewWithConfig(ctx, cfg)
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
	var parse, check time.Duration
	steps.reset()
	for b.Loop() {
		round++
		var sb strings.Builder
		sb.WriteString("机构编号,机构名称,举办性质,是否普惠,是否备案,经度,纬度,托大班托位,托大班在托\n")
		for i := 0; i < 100_000; i++ {
			fmt.Fprintf(&sb, "R%dN%06d,批量托育园%d,民办普惠,是,是,%.6f,%.6f,20,15\n", round, i, i,
				119.0+float64(i%300)*0.0003, 27.55+float64(i/300)*0.0003)
		}
		t0 := time.Now()
		tab, err := imports.ReadTable("big.csv", []byte(sb.String()), imports.Specs["childcare"])
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		rec := imports.Parse("childcare", tab, imports.Options{Regions: codes, County: county})
		parse, check = parse+t1.Sub(t0), check+time.Since(t1)
		if len(rec.Problems) > 0 {
			b.Fatal(rec.Problems[0])
		}
		res, err := postgis.Import(ctx, p, rec, postgis.ImportOptions{Source: "bench"})
		if err != nil || res.Inserted != 100_000 {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "rows/s")
	// Where the time goes, per import: reading the file, checking the rows
	// (in Go), then each kind of statement the import sends, timed from
	// the client (so each includes its round trip).
	b.ReportMetric(parse.Seconds()/float64(b.N), "parse-s/op")
	b.ReportMetric(check.Seconds()/float64(b.N), "check-s/op")
	for _, st := range steps.totals() {
		b.ReportMetric(st.d.Seconds()/float64(b.N), st.name+"-s/op")
	}
}

// stepTimer is a pgx tracer adding up the time of the statements an import
// sends, by what they do.
type stepTimer struct {
	mu    sync.Mutex
	start time.Time
	sql   string
	by    map[string]time.Duration
}

func (s *stepTimer) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.by = map[string]time.Duration{}
}

// step names a statement by what it does in an import.
func step(sql string) string {
	switch q := strings.TrimSpace(sql); {
	case strings.HasPrefix(q, "CREATE TEMP"), strings.HasPrefix(q, "CREATE INDEX ON stage"), q == "ANALYZE stage":
		return "stage"
	case strings.HasPrefix(q, "INSERT INTO public_data.import_log"), strings.Contains(q, "pg_notify"), strings.HasPrefix(q, "commit"):
		return "log+commit"
	case strings.HasPrefix(q, "INSERT"):
		return "upsert"
	case strings.HasPrefix(q, "UPDATE") && strings.Contains(q, "ST_Covers"):
		return "place"
	default:
		return "other"
	}
}

func (s *stepTimer) add(name string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.by != nil {
		s.by[name] += d
	}
}

func (s *stepTimer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	s.start, s.sql = time.Now(), data.SQL
	return ctx
}

func (s *stepTimer) TraceQueryEnd(_ context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	s.add(step(s.sql), time.Since(s.start))
}

func (s *stepTimer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	s.start = time.Now()
	return ctx
}

func (s *stepTimer) TraceCopyFromEnd(_ context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromEndData) {
	s.add("copy", time.Since(s.start))
}

type stepTotal struct {
	name string
	d    time.Duration
}

func (s *stepTimer) totals() []stepTotal {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []stepTotal
	for _, n := range []string{"stage", "copy", "upsert", "place", "log+commit", "other"} {
		out = append(out, stepTotal{n, s.by[n]})
	}
	return out
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
