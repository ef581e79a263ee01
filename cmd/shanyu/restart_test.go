package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"shanyu/data/sample"
	"shanyu/internal/pgtest"
	"shanyu/source/bundle"
	"shanyu/source/postgis"
)

// TestDatabaseRestart stops PostgreSQL itself (pg_ctl stop, as an
// operator's restart does) under a running service with clients: every
// request keeps being answered 200 from the last snapshot, /readyz says
// degraded; once PostgreSQL is back the service is ready again, and the
// next import is served, so the notification channel was re-established.
// It runs its own cluster, since stopping the shared one would break the
// other tests.
func TestDatabaseRestart(t *testing.T) {
	ctx := context.Background()
	cluster, err := pgtest.StartCluster()
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Remove()
	owner, reader, err := cluster.NewDatabase(ctx, "restart")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	importVersion := func(phone string) (string, error) {
		c := *ds
		c.Facilities = slices.Clone(ds.Facilities)
		c.Facilities[0].Phone = phone
		v, err := bundle.Version(&c)
		if err != nil {
			return "", err
		}
		pool, err := pgxpool.New(ctx, owner)
		if err != nil {
			return "", err
		}
		defer pool.Close()
		_, err = postgis.ReplaceAll(ctx, pool, &c, "test", v)
		return v, err
	}
	first, err := importVersion("0578-0000001")
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, reader)
	var r ready
	if !pgtest.Wait(10*time.Second, func() bool { return getJSON(t, s.base+"/readyz", &r) == 200 && r.Version == first }) {
		t.Fatalf("not ready with %s: %+v\n%s", first, r, s.logs.String())
	}

	var served atomic.Int32
	var mu sync.Mutex
	var failures []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := []string{"/api/v1/facilities?near=119.06,27.62&limit=5", "/api/v1/coverage?level=village",
					"/api/v1/facilities/CC0001", fmt.Sprintf("/api/v1/coverage/accessibility?catchment=%d", 900+w)}[i%4]
				res, err := http.Get(s.base + path)
				if err != nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 && res.StatusCode != 503 || res.StatusCode == 503 && res.Header.Get("Retry-After") == "" {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: %d", path, res.StatusCode))
					mu.Unlock()
				}
				served.Add(1)
			}
		})
	}

	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	if !pgtest.Wait(10*time.Second, func() bool { getJSON(t, s.base+"/readyz", &r); return r.Status == "degraded" }) {
		t.Errorf("readyz = %+v with PostgreSQL stopped, want degraded", r)
	}
	if r.Version != first {
		t.Errorf("degraded readyz serves %q, want the last version %s", r.Version, first)
	}
	time.Sleep(time.Second) // clients keep going with the database away
	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	if !pgtest.Wait(40*time.Second, func() bool { getJSON(t, s.base+"/readyz", &r); return r.Status == "ready" }) {
		t.Fatalf("readyz = %+v after PostgreSQL came back, want ready\n%s", r, s.logs.String())
	}
	second, err := importVersion("0578-0000002")
	if err != nil {
		t.Fatal(err)
	}
	if !pgtest.Wait(10*time.Second, func() bool { getJSON(t, s.base+"/readyz", &r); return r.Version == second }) {
		t.Errorf("the import after the restart was not served: readyz %+v", r)
	}
	close(stop)
	wg.Wait()
	if len(failures) > 0 || served.Load() < 20 {
		t.Errorf("%d requests served; failures: %v", served.Load(), failures[:min(len(failures), 10)])
	}
}
