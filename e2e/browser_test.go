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
	saveShot(t, name, png)
}

// saveShot writes a PNG to the screenshot folder (git-ignored out/screenshots
// unless SHANYU_SCREENSHOTS names another).
func saveShot(t *testing.T, name string, png []byte) {
	t.Helper()
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

// TestDocsOffline renders /docs from the server's own OpenAPI document:
// first the light list of every operation, then, on request, the embedded
// interactive viewer, with no request to any other origin.
func TestDocsOffline(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/docs", 390, 844)
	viewShot(t, ctx, "docs-390.png")
	open(t, ctx, ts.URL, "/docs", 1440, 900)
	viewShot(t, ctx, "docs-1440.png")
	listed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#ops summary code")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"GET /api/v1/facilities", "GET /api/v1/coverage/suggestions", "GET /api/v1/scorecard"} {
		found := false
		for _, op := range listed {
			found = found || op == want
		}
		if !found {
			t.Errorf("the light reference does not list %s (listed %v)", want, listed)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#try`)),
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
