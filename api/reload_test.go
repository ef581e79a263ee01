package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"shanyu/api"
	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// TestSwapUnderLoad swaps between two versions of the data while clients
// ask for cached and uncached answers: every answer is 200 (or a
// documented 503) and comes from one version only — its ETag, its dataset
// block and its figures agree (in version b every centre has closed, so
// no child is within reach of one).
func TestSwapUnderLoad(t *testing.T) {
	load := func(version string, closed bool) *snapshot.Snapshot {
		ds, err := bundle.Read(sample.Bundle())
		if err != nil {
			t.Fatal(err)
		}
		for i := range ds.Facilities {
			if closed {
				ds.Facilities[i].OpenedOn, ds.Facilities[i].ClosedOn = "2000-01-01", "2000-01-02"
			}
		}
		return snapshot.New(ds, version)
	}
	a, b := load("version-a", false), load("version-b", true)
	s := api.NewServer(a, nil)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []string
	paths := []string{"/api/v1/coverage/accessibility?catchment=1000", "/api/v1/coverage/accessibility?catchment=600",
		"/api/v1/coverage/suggestions?slots=80", "/api/v1/facilities?near=119.06,27.62&limit=3", "/api/v1/coverage?level=village"}
	for w := range 6 {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := http.Get(ts.URL + paths[i%len(paths)])
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode == 503 {
					continue
				}
				var v struct {
					Dataset struct{ Version string }
					Items   []struct {
						Share *float64 `json:"share_within_catchment"`
					}
				}
				_ = json.Unmarshal(body, &v)
				reached := false
				for _, it := range v.Items {
					reached = reached || it.Share != nil && *it.Share > 0
				}
				mixed := strings.Contains(paths[i%len(paths)], "accessibility") && reached != (v.Dataset.Version == "version-a")
				if etag := res.Header.Get("ETag"); res.StatusCode != 200 || mixed || !strings.HasPrefix(etag, `"`+v.Dataset.Version+"-") {
					mu.Lock()
					bad = append(bad, res.Status+" "+etag+" "+v.Dataset.Version)
					mu.Unlock()
				}
			}
		})
	}
	for i := range 40 {
		want := "version-b"
		if i%2 == 0 {
			s.Swap(b)
		} else {
			s.Swap(a)
			want = "version-a"
		}
		var v struct {
			Dataset struct{ Version string }
			Items   []struct {
				Share *float64 `json:"share_within_catchment"`
			}
		}
		r := get(t, ts, "/api/v1/coverage/accessibility?catchment=1000")
		if r.status == 503 {
			continue
		}
		_ = json.Unmarshal(r.body, &v)
		reached := false
		for _, it := range v.Items {
			reached = reached || it.Share != nil && *it.Share > 0
		}
		if v.Dataset.Version != want || reached != (want == "version-a") {
			t.Errorf("after swapping in %s: an answer of %s (children reached: %v)", want, v.Dataset.Version, reached)
		}
	}
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d answers mixed versions or failed, such as %v", len(bad), bad[0])
	}
}
