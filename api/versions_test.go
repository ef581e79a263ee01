package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"shanyu/api"
)

type versionsBody struct {
	Current   string               `json:"current"`
	HowToCite string               `json:"how_to_cite"`
	Versions  []api.DatasetVersion `json:"versions"`
}

// TestDatasetVersions: a bundle publishes one version, the one served;
// a lister (the import log) adds the earlier ones; and every answer, files
// and errors included, names the version.
func TestDatasetVersions(t *testing.T) {
	snap := sampleSnapshot(t)
	ts := newTestServer(t)
	v := decode[versionsBody](t, get(t, ts, "/api/v1/dataset/versions"))
	c := snap.Counts()
	if v.Current != snap.Version || len(v.Versions) != 1 || !v.Versions[0].Current || v.Versions[0].Version != snap.Version ||
		v.Versions[0].Counts.Childcare != c.Childcare || v.Versions[0].Counts.Villages != c.Villages ||
		!strings.HasPrefix(v.Versions[0].PublishedAt, string(snap.Meta.GeneratedAt.UTC().Format("2006-01-02"))) ||
		!strings.Contains(v.HowToCite, snap.Version) {
		t.Errorf("bundle versions: %+v", v)
	}

	srv := api.NewServer(snap, nil)
	calls := 0
	srv.SetVersions(func(context.Context) ([]api.DatasetVersion, error) {
		calls++
		return []api.DatasetVersion{
			{Version: "older", PublishedAt: "2025-01-02T03:04:05Z", Import: "bundle sample"},
			{Version: snap.Version, PublishedAt: "2025-06-01T00:00:00Z", Import: "childcare new.csv"},
		}, nil
	})
	ts2 := httptest.NewServer(srv.Handler())
	defer ts2.Close()
	for range 3 {
		v = decode[versionsBody](t, get(t, ts2, "/api/v1/dataset/versions"))
	}
	if len(v.Versions) != 2 || v.Versions[0].Current || !v.Versions[1].Current || v.Versions[0].Version != "older" ||
		!strings.Contains(v.Versions[0].Cite, "older (2025-01-02)") {
		t.Errorf("import-log versions: %+v", v)
	}
	if calls != 1 {
		t.Errorf("the import log was read %d times for one snapshot", calls)
	}

	for _, p := range []string{"/api/v1/facilities.csv", "/api/v1/regions.geojson", "/ogc/collections/childcare/items",
		"/tiles/childcare/0/0/0.mvt", "/api/v1/datapackage.json", "/api/v1/facilities?bbox=1", "/ogc/collections/nope"} {
		r := get(t, ts, p)
		if r.header.Get("Dataset-Version") != snap.Version {
			t.Errorf("%s (%d): Dataset-Version %q", p, r.status, r.header.Get("Dataset-Version"))
		}
	}
}
