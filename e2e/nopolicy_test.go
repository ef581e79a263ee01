package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"

	"shanyu/api"
	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// TestWorkbenchWithoutPolicy: a county whose data carries no policy file
// gets a planners' page that says so, not another county's targets.
func TestWorkbenchWithoutPolicy(t *testing.T) {
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	ds.Policy = nil
	ts := httptest.NewServer(api.NewServer(snapshot.New(ds, "no-policy"), nil).Handler())
	t.Cleanup(ts.Close)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/planning.html", 1280, 800)
	status := eval[string](t, ctx, `document.querySelector("#status").textContent`)
	if !strings.Contains(status, "没有政策文件") || !strings.Contains(status, "shanyu import --kind policy") {
		t.Errorf("status %q does not say the dataset carries no policy", status)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".leaflet-overlay-pane path").length`); n != 0 {
		t.Errorf("%d regions coloured against targets the dataset does not have", n)
	}
}
