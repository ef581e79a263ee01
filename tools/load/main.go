// Command load is shanyu's HTTP load generator: it sends nearby searches to
// a shanyu server on this machine for a bounded time and request count and
// prints throughput and latency percentiles.
//
//	go run ./tools/load -url http://127.0.0.1:8080 -c 16 -d 10s
//
// It refuses any host that is not loopback: load goes nowhere else.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server to load (loopback only)")
	conc := flag.Int("c", 16, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "duration (at most 2m)")
	maxReq := flag.Int64("n", 5_000_000, "stop after this many requests")
	bound := flag.String("bbox", "118.9,27.45,119.3,27.8", "random near points inside minLon,minLat,maxLon,maxLat")
	path := flag.String("path", "", "ask for this fixed path instead of random nearby searches")
	flag.Parse()
	if err := run(*base, *conc, min(*dur, 2*time.Minute), *maxReq, *bound, *path); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(base string, conc int, dur time.Duration, maxReq int64, bound, path string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s is not a loopback address; load goes to this machine only", u.Hostname())
		}
	}
	var b [4]float64
	if _, err := fmt.Sscanf(bound, "%g,%g,%g,%g", &b[0], &b[1], &b[2], &b[3]); err != nil {
		return fmt.Errorf("bbox: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()

	var sent, failed atomic.Int64
	lat := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for ctx.Err() == nil && sent.Add(1) <= maxReq {
				lon := b[0] + r.Float64()*(b[2]-b[0])
				lat0 := b[1] + r.Float64()*(b[3]-b[1])
				target := fmt.Sprintf("%s/api/v1/facilities?near=%.5f,%.5f&limit=10", base, lon, lat0)
				if path != "" {
					target = base + path
				}
				t0 := time.Now()
				res, err := client.Get(target)
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					failed.Add(1)
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return fmt.Errorf("no request completed")
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	fmt.Printf("GET /api/v1/facilities?near=…&limit=10: %d requests in %.1fs, %d connections\n", len(all), elapsed.Seconds(), conc)
	fmt.Printf("throughput %.0f req/s; latency p50 %v, p90 %v, p99 %v, max %v; errors %d\n",
		float64(len(all))/elapsed.Seconds(), pct(.50).Round(time.Microsecond), pct(.90).Round(time.Microsecond),
		pct(.99).Round(time.Microsecond), all[len(all)-1].Round(time.Microsecond), failed.Load())
	// The same line as tools/load/near.lua prints under wrk, for scripts/load.
	fmt.Printf("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d\n", float64(len(all))/elapsed.Seconds(),
		float64(pct(.50))/1e6, float64(pct(.99))/1e6, len(all), failed.Load())
	if failed.Load() > 0 {
		return fmt.Errorf("%d requests failed", failed.Load())
	}
	return nil
}
