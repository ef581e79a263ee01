package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"shanyu/api"
	"shanyu/dashboard"
	"shanyu/data/sample"
	"shanyu/source/bundle"
)

// TestConfiguredBaseMap serves tiles from a second origin, configures the
// dashboard to draw them, and checks that the maps load them (so the
// Content-Security-Policy follows the configuration) and credit them.
func TestConfiguredBaseMap(t *testing.T) {
	var tile bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = 0xee
	}
	img.Set(0, 0, color.Black)
	if err := png.Encode(&tile, img); err != nil {
		t.Fatal(err)
	}
	var served atomic.Int32
	tiles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(tile.Bytes())
	}))
	t.Cleanup(tiles.Close)

	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(snap, nil)
	cfg := dashboard.Config{BaseMapURL: tiles.URL + "/{z}/{x}/{y}.png", BaseMapAttribution: "Test tiles ©"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv.SetDashboard(cfg)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	for _, page := range []string{"/", "/planning.html"} {
		open(t, ctx, ts.URL, page, 1440, 900)
		loaded := poll[int](t, ctx, `document.querySelectorAll(".leaflet-tile-loaded").length`)
		if loaded == 0 || served.Load() == 0 {
			t.Errorf("%s: %d tiles loaded, %d served", page, loaded, served.Load())
		}
		credit := eval[string](t, ctx, `document.querySelector(".leaflet-control-attribution").textContent`)
		if !strings.Contains(credit, "Test tiles ©") {
			t.Errorf("%s: attribution %q lacks the operator's credit", page, credit)
		}
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, u := range log.requests {
		if !strings.HasPrefix(u, ts.URL+"/") && !strings.HasPrefix(u, tiles.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request to neither the service nor the configured tiles: %s", u)
		}
	}
	for _, e := range log.errors {
		t.Errorf("page error: %s", e)
	}
}
