// Package e2e drives the dashboard and the docs page in a real headless
// Chromium against the whole service on a loopback port, and saves
// screenshots (to SHANYU_SCREENSHOTS, default out/screenshots).
package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"shanyu/api"
	"shanyu/dashboard"
	"shanyu/data/sample"
	"shanyu/source/bundle"
)

// browser starts a headless Chromium and returns a tab context and the
// log of every request the page made and every error it threw.
type pageLog struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (l *pageLog) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.requests = append(l.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		l.errors = append(l.errors, e.ExceptionDetails.Text+" "+exceptionText(e))
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			l.errors = append(l.errors, "console.error: "+strings.Join(parts, " "))
		}
	}
}

func exceptionText(e *runtime.EventExceptionThrown) string {
	if e.ExceptionDetails.Exception != nil {
		return e.ExceptionDetails.Exception.Description
	}
	return ""
}

func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

func newTab(t *testing.T, log *pageLog) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath()); err != nil {
		t.Fatalf("no Chromium at %s (set CHROMIUM, or run scripts/install-test-deps): %v", chromiumPath(), err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath()),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(alloc, chromedp.WithListener(log.listen))
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser outside any timeout
		t.Fatal(err)
	}
	return ctx
}

func startService(t *testing.T) *httptest.Server {
	t.Helper()
	if !dashboard.HasVendor() {
		t.Fatal("front-end libraries missing from dashboard/static/vendor: run make assets")
	}
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.NewServer(snap, nil).Handler())
	t.Cleanup(ts.Close)
	return ts
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("SHANYU_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "out", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", filepath.Join(dir, name), len(png))
}

// sameOrigin fails the test for any request to another origin: the pages
// must work with no internet.
func sameOrigin(t *testing.T, log *pageLog, origin string) {
	t.Helper()
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.requests) == 0 {
		t.Fatal("the page made no requests at all")
	}
	for _, u := range log.requests {
		if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("request to another origin: %s", u)
		}
	}
	for _, e := range log.errors {
		t.Errorf("page error: %s", e)
	}
}

func withTimeout(t *testing.T, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestNearestOnTheMap opens the dashboard the way a parent's link would,
// with a position, and finds the five nearest childcare centres listed
// nearest first, the township boundaries drawn, and the sample notice shown.
func TestNearestOnTheMap(t *testing.T) {
	ts := startService(t)
	var log pageLog
	tab := newTab(t, &log)
	ctx := withTimeout(t, tab)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/?near=119.06,27.62"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#results li:nth-child(5)`)),
	); err != nil {
		t.Fatal(err)
	}
	distances, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#results .distance")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(distances) != 5 {
		t.Fatalf("listed %d centres, want 5: %v", len(distances), distances)
	}
	polygons, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("path.leaflet-interactive").length`))
	if err != nil || polygons < 19+30 {
		t.Errorf("drew %d interactive paths, want the 19 townships and the centres: %v", polygons, err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#sample")))
	if err != nil || !strings.Contains(notice, "样例数据") || !strings.Contains(notice, "not official statistics") {
		t.Errorf("sample notice %q: %v", notice, err)
	}
	screenshot(t, ctx, "dashboard-nearest.png")

	// Switch to mother-and-baby rooms: the list follows.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-kind="nursing_room"]`))); err != nil {
		t.Fatal(err)
	}
	// The list is replaced once the rooms arrive: wait for stars in it.
	stars, err := chromedp.Run(ctx, chromedp.Poll[string](
		`document.querySelectorAll("#results li").length === 5 && document.querySelector("#results .info").textContent.includes("★") && document.querySelector("#results .info").textContent`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(stars, "★") {
		t.Errorf("the list did not switch to mother-and-baby rooms with their stars (%q): %v", stars, err)
	}
	sameOrigin(t, &log, ts.URL)
}

// TestPhoneLayout renders the dashboard at a phone's size.
func TestPhoneLayout(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(ts.URL+"/?near=119.18,27.55"),
		chromedp.WaitVisible(chromedp.CSS(`#results li:nth-child(5)`)),
	); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 390 {
		t.Errorf("page is %d px wide on a 390 px phone: %v", width, err)
	}
	mapHeight, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById("map").getBoundingClientRect().height`))
	if err != nil || mapHeight < 300 {
		t.Errorf("the map is %.0f px high on a phone, want most of the screen: %v", mapHeight, err)
	}
	screenshot(t, ctx, "dashboard-phone.png")
	sameOrigin(t, &log, ts.URL)
}

// TestDocsOffline renders /docs from the embedded viewer and the server's
// own OpenAPI document, with no request to any other origin.
func TestDocsOffline(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/docs"),
		chromedp.WaitVisible(chromedp.CSS(`.opblock`)),
	); err != nil {
		t.Fatal(err)
	}
	ops, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(".opblock-summary-path")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/api/v1/facilities", "/api/v1/facilities/{id}", "/api/v1/facilities.csv", "/api/v1/regions.geojson", "/api/v1/dataset"} {
		found := false
		for _, op := range ops {
			found = found || strings.ReplaceAll(op, "\u200b", "") == want
		}
		if !found {
			t.Errorf("docs do not list %s (listed %v)", want, ops)
		}
	}
	screenshot(t, ctx, "docs.png")
	sameOrigin(t, &log, ts.URL)
}

// TestPlanningMap opens the planners' map: townships coloured by their
// slots per 1,000 against the target (met and unmet both visible), the gap
// table, a switch to villages, and three suggested sites for 120 slots.
func TestPlanningMap(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/planning.html"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	); err != nil {
		t.Fatal(err)
	}
	fills, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("path.leaflet-interactive")].map(p => p.getAttribute("fill"))`))
	if err != nil {
		t.Fatal(err)
	}
	colours := map[string]int{}
	for _, f := range fills {
		colours[f]++
	}
	if len(fills) != 19 || colours["#2e7d32"] == 0 || colours["#c62828"] == 0 {
		t.Errorf("township fills %v: want 19 polygons with met (green) and far-short (red) ones", colours)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#gaps tbody tr td:first-child")].map(e => e.textContent)`))
	if err != nil || len(rows) == 0 || rows[0] != "濛洲街道" {
		t.Errorf("gap table starts %v, want the largest gap (濛洲街道, 27 slots) first: %v", rows, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#suggest button`)),
		chromedp.WaitVisible(chromedp.CSS(`#suggestions li:nth-child(3)`)),
	); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "planning-townships.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-level="village"]`))); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Poll[int](
		`document.querySelectorAll("path.leaflet-interactive").length >= 203 && document.querySelectorAll("path.leaflet-interactive").length`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || n < 203 {
		t.Errorf("village view drew %d polygons: %v", n, err)
	}
	screenshot(t, ctx, "planning-villages.png")
	sameOrigin(t, &log, ts.URL)
}
