// Command soak runs shanyu under a realistic load while its data changes
// and its database goes away and comes back, then reports what the clients
// saw and what the server's memory and goroutines did.
//
//	make soak                                   (builds bin/shanyu, runs 60 s)
//	go run ./tools/soak -bin bin/shanyu -d 60s -c 16
//
// It starts its own throwaway PostgreSQL + PostGIS cluster, migrates it,
// imports the sample county, and serves it with `shanyu serve` through a
// read-only role on a loopback port. While clients send a mix of requests
// (nearby search most of all, then boxes, single facilities, downloads,
// coverage, indicators and the heavy accessibility and suggestions), the
// data is re-imported every few seconds (a new dataset version each time)
// and PostgreSQL is stopped and started again once, mid-run. Everything it
// starts stops when it ends; it sends nothing off this machine.
//
// It exits non-zero when a client saw anything but 2xx, 304 or a
// documented 503, or when the server logged an error.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"shanyu/county"
	"shanyu/data/sample"
	"shanyu/internal/pgtest"
	"shanyu/source/bundle"
	"shanyu/source/postgis"
)

type options struct {
	bin      string
	duration time.Duration
	conc     int
	maxReq   int64
	reload   time.Duration
	downFor  time.Duration
	settle   time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/shanyu", "the shanyu binary to serve with")
	flag.DurationVar(&o.duration, "d", time.Minute, "how long the load runs (at most 5m)")
	flag.IntVar(&o.conc, "c", 16, "concurrent clients")
	flag.Int64Var(&o.maxReq, "n", 2_000_000, "stop after this many requests")
	flag.DurationVar(&o.reload, "reload", 3*time.Second, "re-import the data this often")
	flag.DurationVar(&o.downFor, "down", 4*time.Second, "how long PostgreSQL stays stopped, mid-run")
	flag.DurationVar(&o.settle, "settle", 20*time.Second, "wait this long after the load before measuring memory at the end (past the idle timeout)")
	flag.Parse()
	o.duration = min(o.duration, 5*time.Minute)
	rep, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	rep.print(os.Stdout, o)
	if !rep.clean() {
		os.Exit(1)
	}
}

// report is what the soak observed.
type report struct {
	requests      int64
	byClass       map[string]int64 // "2xx", "304", "503", "4xx 422", "transport", …
	latency       map[string][]time.Duration
	reloads       int64
	reloadsFailed int64
	versions      map[string]bool
	degraded      int // /readyz samples that said degraded
	mem           [3]stats
	peak          stats
	serverErrors  []string
	restartAt     time.Duration
	restartTook   time.Duration
	elapsed       time.Duration
}

type stats struct {
	rss, heap  float64 // bytes
	goroutines float64
}

func (r *report) clean() bool {
	for class := range r.byClass {
		if class != "2xx" && class != "304" && class != "503" {
			return false
		}
	}
	return len(r.serverErrors) == 0
}

func run(o options) (*report, error) {
	if _, err := os.Stat(o.bin); err != nil {
		return nil, fmt.Errorf("%v: build it first (make soak does)", err)
	}
	fmt.Fprintln(os.Stderr, "soak: starting a throwaway PostgreSQL cluster")
	cluster, err := pgtest.StartCluster()
	if err != nil {
		return nil, err
	}
	defer cluster.Remove()
	ctx := context.Background()
	adminURL, readerURL, err := cluster.NewDatabase(ctx, "soak")
	if err != nil {
		return nil, err
	}
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		return nil, err
	}
	if err := importData(ctx, adminURL, ds, 0); err != nil {
		return nil, err
	}

	srv, err := startServer(o.bin, readerURL)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	rep := &report{byClass: map[string]int64{}, latency: map[string][]time.Duration{}, versions: map[string]bool{}}
	rep.mem[0] = srv.metrics()
	rep.peak = rep.mem[0]
	ids, err := srv.facilityIDs()
	if err != nil {
		return nil, err
	}

	loadCtx, stopLoad := context.WithTimeout(ctx, o.duration)
	defer stopLoad()
	var wg sync.WaitGroup
	start := time.Now()

	// The data changes every o.reload: a new version each time.
	wg.Go(func() {
		t := time.NewTicker(o.reload)
		defer t.Stop()
		for n := 1; ; n++ {
			select {
			case <-loadCtx.Done():
				return
			case <-t.C:
			}
			if err := importData(loadCtx, adminURL, ds, n); err != nil {
				atomic.AddInt64(&rep.reloadsFailed, 1) // expected while PostgreSQL is down
			} else {
				atomic.AddInt64(&rep.reloads, 1)
			}
		}
	})
	// PostgreSQL goes away at 40% of the run and comes back o.downFor later.
	wg.Go(func() {
		select {
		case <-loadCtx.Done():
			return
		case <-time.After(o.duration * 2 / 5):
		}
		rep.restartAt = time.Since(start)
		fmt.Fprintf(os.Stderr, "soak: stopping PostgreSQL at %s\n", rep.restartAt.Round(time.Second))
		t0 := time.Now()
		if err := cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
		}
		time.Sleep(o.downFor)
		if err := cluster.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
		}
		rep.restartTook = time.Since(t0)
		fmt.Fprintf(os.Stderr, "soak: PostgreSQL back after %s\n", rep.restartTook.Round(100*time.Millisecond))
	})
	// Memory, goroutines, readiness and the version served, twice a second.
	var mu sync.Mutex
	wg.Go(func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-loadCtx.Done():
				return
			case <-t.C:
			}
			m := srv.metrics()
			status, version := srv.ready()
			mu.Lock()
			rep.peak.rss, rep.peak.heap = max(rep.peak.rss, m.rss), max(rep.peak.heap, m.heap)
			rep.peak.goroutines = max(rep.peak.goroutines, m.goroutines)
			if status == "degraded" {
				rep.degraded++
			}
			if version != "" {
				rep.versions[version] = true
			}
			mu.Unlock()
		}
	})

	client := &http.Client{Timeout: 15 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: o.conc, MaxConnsPerHost: o.conc}}
	for w := range o.conc {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for loadCtx.Err() == nil && atomic.AddInt64(&rep.requests, 1) <= o.maxReq {
				kind, path := pick(r, ids)
				t0 := time.Now()
				class := do(loadCtx, client, srv.base+path)
				d := time.Since(t0)
				if class == "" {
					atomic.AddInt64(&rep.requests, -1) // cut off by the end of the run
					return
				}
				mu.Lock()
				rep.byClass[class]++
				if class == "2xx" || class == "304" {
					rep.latency[kind] = append(rep.latency[kind], d)
					rep.latency["all"] = append(rep.latency["all"], d)
				} else if class != "503" && len(rep.serverErrors) < 20 {
					rep.serverErrors = append(rep.serverErrors, fmt.Sprintf("client saw %s on %s", class, path))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rep.elapsed = time.Since(start)
	rep.requests = 0
	for _, n := range rep.byClass {
		rep.requests += n
	}
	rep.mem[1] = srv.metrics()
	client.CloseIdleConnections()
	time.Sleep(o.settle)
	rep.mem[2] = srv.metrics()
	rep.serverErrors = append(rep.serverErrors, srv.errors()...)
	return rep, nil
}

// importData replaces the data with ds, changed by n (a facility's phone
// number) so that each import is a new dataset version.
func importData(ctx context.Context, adminURL string, ds *county.Dataset, n int) error {
	c := *ds
	c.Facilities = slices.Clone(ds.Facilities)
	c.Facilities[0].Phone = fmt.Sprintf("0578-%07d", n)
	version, err := bundle.Version(&c)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	pool, err := pgxpool.New(cctx, adminURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	_, err = postgis.ReplaceAll(cctx, pool, &c, "soak", version)
	return err
}

// server is a running `shanyu serve`.
type server struct {
	base string
	cmd  *exec.Cmd
	mu   sync.Mutex
	errs []string
	done chan struct{}
}

func startServer(bin, dbURL string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "--port", strconv.Itoa(port), "--log-format", "json")
	s.cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go s.watchLog(stderr)
	for range 300 {
		if status, _ := s.ready(); status == "ready" {
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("the server did not become ready in 30 s: " + strings.Join(s.errors(), "; "))
}

// watchLog keeps the server's error lines (a JSON log, one object a line).
func (s *server) watchLog(r io.Reader) {
	defer close(s.done)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Level == "ERROR" {
			s.mu.Lock()
			if len(s.errs) < 20 {
				s.errs = append(s.errs, "server logged: "+sc.Text())
			}
			s.mu.Unlock()
		}
	}
}

func (s *server) errors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.errs)
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(25 * time.Second):
		_ = s.cmd.Process.Kill()
	}
	_ = s.cmd.Wait()
}

func (s *server) ready() (status, version string) {
	res, err := http.Get(s.base + "/readyz")
	if err != nil {
		return "", ""
	}
	defer res.Body.Close()
	var b struct{ Status, Version string }
	_ = json.NewDecoder(res.Body).Decode(&b)
	return b.Status, b.Version
}

// metrics reads the server's resident memory, heap in use and goroutines.
func (s *server) metrics() stats {
	res, err := http.Get(s.base + "/metrics")
	if err != nil {
		return stats{}
	}
	defer res.Body.Close()
	var m stats
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, _ := strconv.ParseFloat(value, 64)
		switch name {
		case "process_resident_memory_bytes":
			m.rss = v
		case "go_memstats_heap_inuse_bytes":
			m.heap = v
		case "go_goroutines":
			m.goroutines = v
		}
	}
	return m
}

func (s *server) facilityIDs() ([]string, error) {
	res, err := http.Get(s.base + "/api/v1/facilities?limit=1000&open_on=any")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var page struct{ Items []struct{ ID string } }
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		return nil, err
	}
	var ids []string
	for _, f := range page.Items {
		ids = append(ids, f.ID)
	}
	if len(ids) == 0 {
		return nil, errors.New("the server lists no facilities")
	}
	return ids, nil
}

// do sends one request and returns its class: "2xx", "304", "503",
// "4xx 422" and the like, or "transport" when no answer came; "" when the
// run ended during the request.
func do(ctx context.Context, client *http.Client, u string) string {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	res, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ""
		}
		return "transport"
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	switch {
	case err != nil && ctx.Err() != nil:
		return ""
	case err != nil:
		return "transport"
	case res.StatusCode == 304, res.StatusCode == 503:
		return strconv.Itoa(res.StatusCode)
	case res.StatusCode < 300:
		return "2xx"
	}
	return fmt.Sprintf("%dxx %d", res.StatusCode/100, res.StatusCode)
}

// pick draws one request of the mix: its kind and path.
func pick(r *rand.Rand, ids []string) (string, string) {
	lon := func() string { return strconv.FormatFloat(118.95+r.Float64()*0.3, 'f', 5, 64) }
	lat := func() string { return strconv.FormatFloat(27.45+r.Float64()*0.3, 'f', 5, 64) }
	kinds := []string{"childcare", "nursing_room"}
	switch n := r.IntN(100); {
	case n < 50:
		return "nearby", "/api/v1/facilities?near=" + lon() + "," + lat() + "&kind=" + kinds[r.IntN(2)] + "&limit=5"
	case n < 60:
		lo, la := 118.95+r.Float64()*0.25, 27.45+r.Float64()*0.25
		return "bbox", fmt.Sprintf("/api/v1/facilities?bbox=%.4f,%.4f,%.4f,%.4f&limit=50", lo, la, lo+0.05, la+0.05)
	case n < 66:
		return "facility", "/api/v1/facilities/" + ids[r.IntN(len(ids))]
	case n < 72:
		return "download", []string{"/api/v1/facilities.csv", "/api/v1/facilities.geojson", "/api/v1/coverage.geojson?level=village",
			"/api/v1/regions.geojson?level=township"}[r.IntN(4)]
	case n < 80:
		return "coverage", []string{"/api/v1/coverage?level=township", "/api/v1/coverage?level=village",
			"/api/v1/coverage/series?region=331126", "/api/v1/coverage.csv?level=village"}[r.IntN(4)]
	case n < 86:
		return "indicators", []string{"/api/v1/indicators", "/api/v1/scorecard", "/api/v1/dataset", "/api/v1/policy"}[r.IntN(4)]
	case n < 93:
		return "heavy", fmt.Sprintf("/api/v1/coverage/accessibility?catchment=%d&level=%s",
			[]int{500, 800, 1000, 1500, 2000, 3000}[r.IntN(6)], []string{"village", "township"}[r.IntN(2)])
	default:
		return "heavy", fmt.Sprintf("/api/v1/coverage/suggestions?slots=%d&centre_size=40&catchment=%d",
			[]int{40, 120, 400}[r.IntN(3)], []int{1000, 2000}[r.IntN(2)])
	}
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(p*float64(len(d))))]
}

func (r *report) print(w io.Writer, o options) {
	mb := func(b float64) string { return fmt.Sprintf("%.0f MB", b/1e6) }
	fmt.Fprintf(w, "soak: %s, %d clients, reload every %s, PostgreSQL stopped at %s for %s\n",
		r.elapsed.Round(time.Second), o.conc, o.reload, r.restartAt.Round(time.Second), r.restartTook.Round(100*time.Millisecond))
	fmt.Fprintf(w, "requests        %d (%.0f/s)\n", r.requests, float64(r.requests)/r.elapsed.Seconds())
	classes := make([]string, 0, len(r.byClass))
	for c := range r.byClass {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	for _, c := range classes {
		fmt.Fprintf(w, "  %-12s  %d\n", c, r.byClass[c])
	}
	for _, k := range []string{"all", "nearby", "bbox", "facility", "download", "coverage", "indicators", "heavy"} {
		if d := r.latency[k]; len(d) > 0 {
			fmt.Fprintf(w, "latency %-10s p50 %-8s p99 %s\n", k, percentile(d, .5).Round(10*time.Microsecond), percentile(d, .99).Round(10*time.Microsecond))
		}
	}
	fmt.Fprintf(w, "reloads         %d imported (%d failed while PostgreSQL was down), %d versions served, %d readiness samples degraded\n",
		r.reloads, r.reloadsFailed, len(r.versions), r.degraded)
	fmt.Fprintf(w, "memory (RSS)    start %s  peak %s  end of load %s  settled %s\n", mb(r.mem[0].rss), mb(r.peak.rss), mb(r.mem[1].rss), mb(r.mem[2].rss))
	fmt.Fprintf(w, "heap in use     start %s  peak %s  end of load %s  settled %s\n", mb(r.mem[0].heap), mb(r.peak.heap), mb(r.mem[1].heap), mb(r.mem[2].heap))
	fmt.Fprintf(w, "goroutines      start %.0f  peak %.0f  end of load %.0f  settled %.0f\n", r.mem[0].goroutines, r.peak.goroutines, r.mem[1].goroutines, r.mem[2].goroutines)
	for _, e := range r.serverErrors {
		fmt.Fprintln(w, "ERROR", e)
	}
	if r.clean() {
		fmt.Fprintln(w, "result          clean: no answer but 2xx, 304 and documented 503s, no server error")
	} else {
		fmt.Fprintln(w, "result          NOT clean")
	}
}
