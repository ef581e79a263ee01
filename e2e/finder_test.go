package e2e

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// eval runs a JavaScript expression in the page and fails the test on error.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// evalAwait runs a JavaScript expression that returns a promise and returns what it resolves to.
func evalAwait[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// poll waits until a JavaScript expression is truthy and returns its value.
func poll[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", expr, err)
	}
	return v
}

// open navigates to path at the given viewport and waits for the page to be ready.
func open(t *testing.T, ctx context.Context, base, path string, w, h int64) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(w, h),
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
	); err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
}

// viewShot saves what the screen shows (not the whole page), the way a
// person at that screen size first sees the view.
func viewShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil { // let the map settle
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	saveShot(t, name, png)
}

// distances returns the listed results' distances in metres, in list order.
func distances(t *testing.T, ctx context.Context) []float64 {
	t.Helper()
	return eval[[]float64](t, ctx, `[...document.querySelectorAll("#results li")].map(li => +li.dataset.distance)`)
}

// TestFinderNearMe is a parent on a phone: "Near me" at a fixed position
// lists the five nearest centres nearest first, numbered on the map, the map
// fits them, the list comes into view and the position goes into the address.
func TestFinderNearMe(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	origin := ts.URL
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: browser.PermissionSettingGranted, Origin: origin,
	}); err != nil {
		t.Fatal(err)
	}
	lat, lon, acc := 27.62, 119.06, 10.0
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: &lat, Longitude: &lon, Accuracy: &acc,
	}); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, ts.URL, "/", 390, 844)
	towns := eval[int](t, ctx, `document.querySelectorAll(".leaflet-overlay-pane path").length`)
	if towns < 19 {
		t.Errorf("drew %d township shapes, want 19", towns)
	}
	labels := eval[[]string](t, ctx, `[...document.querySelectorAll(".label.town span")].map(e => e.textContent)`)
	if len(labels) != 19 || !contains(labels, "松源街道") {
		t.Errorf("township labels %v, want the 19 names", labels)
	}
	top := eval[float64](t, ctx, `document.getElementById("locate").getBoundingClientRect().bottom`)
	if top > 400 {
		t.Errorf("“Near me” ends %.0f px down a 844 px phone screen, want it near the top", top)
	}
	viewShot(t, ctx, "finder-390.png")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#locate"))); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.results === "5"`)
	d := distances(t, ctx)
	if len(d) != 5 || !sort.Float64sAreSorted(d) || d[0] <= 0 {
		t.Errorf("distances %v: want five, nearest first", d)
	}
	numbered := eval[[]string](t, ctx, `[...document.querySelectorAll(".leaflet-marker-pane .num span")].map(e => e.textContent)`)
	if strings.Join(numbered, ",") != "1,2,3,4,5" {
		t.Errorf("numbered markers %v, want 1 to 5", numbered)
	}
	// Every numbered marker and the person are inside the map's view.
	outside := eval[int](t, ctx, `(() => { const m = document.getElementById("map").getBoundingClientRect();
		return [...document.querySelectorAll(".num, .here")].filter(e => { const r = e.getBoundingClientRect();
		return r.left < m.left || r.right > m.right || r.top < m.top || r.bottom > m.bottom }).length })()`)
	if outside != 0 {
		t.Errorf("%d of the person and results are outside the map's view after fitting", outside)
	}
	// The list was brought into view.
	head := eval[float64](t, ctx, `document.getElementById("results-head").getBoundingClientRect().top`)
	if head < -1 || head > 844 {
		t.Errorf("results heading at %.0f px, not on the screen", head)
	}
	loc := eval[string](t, ctx, `location.search`)
	q, _ := url.ParseQuery(strings.TrimPrefix(loc, "?"))
	if q.Get("near") != "119.06000,27.62000" {
		t.Errorf("address %q, want near=119.06000,27.62000", loc)
	}
	first := eval[string](t, ctx, `document.querySelector("#results li").textContent`)
	for _, want := range []string{"班型", "月费", "开放", "路线"} {
		if !strings.Contains(first, want) {
			t.Errorf("first result %q lacks %q", first, want)
		}
	}
	if !strings.Contains(first, "有空位") && !strings.Contains(first, "满员") {
		t.Errorf("first result %q says neither free places nor full", first)
	}
	route := eval[string](t, ctx, `document.querySelector("#results a[target=_blank]").getAttribute("rel")`)
	if !strings.Contains(route, "noopener") {
		t.Errorf("route link rel=%q, want a new tab with noopener", route)
	}
	tel := eval[string](t, ctx, `document.querySelector("#results a[href^='tel:']").getAttribute("href")`)
	if tel != "tel:05786305923" {
		t.Errorf("phone link %q, want tel:05786305923", tel)
	}
	// Zoomed in, the village outlines come from the product's own vector tiles.
	poll[bool](t, ctx, `performance.getEntriesByType("resource").some(e => e.name.includes("/tiles/villages/") && e.name.endsWith(".mvt"))`)
	viewShot(t, ctx, "finder-near-390.png")
	eval[bool](t, ctx, `window.scrollTo(0, 0), true`)
	viewShot(t, ctx, "finder-near-map-390.png")
	sameOrigin(t, &log, ts.URL)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestFinderSearchAndKeyboard searches for a village by keyboard alone:
// typing part of its name offers it, Enter lists the centres nearest it and
// moves focus to the results, and the next Tab lands inside the first one.
// No shape on the map takes a Tab stop.
func TestFinderSearchAndKeyboard(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/", 1440, 900)
	if err := chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS("#q")),
		chromedp.KeyEvent("石龙"),
	); err != nil {
		t.Fatal(err)
	}
	matches := poll[[]string](t, ctx, `document.querySelectorAll("#matches button").length > 0 && [...document.querySelectorAll("#matches button span")].map(e => e.textContent)`)
	if !contains(matches, "石龙社区") {
		t.Fatalf("searching 石龙 offered %v, want the village 石龙社区", matches)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.results === "5"`)
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "results-head" {
		t.Errorf("focus after choosing a place is on %q, want the results heading", got)
	}
	status := eval[string](t, ctx, `document.getElementById("status").textContent`)
	if !strings.Contains(status, "石龙社区") {
		t.Errorf("status %q does not name the chosen village", status)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	inFirst := eval[bool](t, ctx, `document.querySelector("#results li").contains(document.activeElement)`)
	if !inFirst {
		t.Errorf("Tab from the results heading went to %s, want the first result", eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
	}
	stops := eval[[]string](t, ctx, `[...document.querySelectorAll("#map [tabindex]:not(.leaflet-container), #map path, #map .leaflet-marker-icon")]
		.filter(e => e.tabIndex >= 0 && !e.closest(".leaflet-control")).map(e => e.outerHTML.slice(0, 60))`)
	if len(stops) != 0 {
		t.Errorf("%d map shapes take a Tab stop: %v", len(stops), stops[:min(3, len(stops))])
	}
	viewShot(t, ctx, "finder-1440.png")
	sameOrigin(t, &log, ts.URL)
}

// TestFinderAddressAndLanguage restores a view from its address (rooms,
// two stars or more, a position), switches to English keeping that view,
// and says so when a position is outside the county.
func TestFinderAddressAndLanguage(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/?near=119.1,27.6&kind=nursing_room&star=2", 390, 844)
	poll[bool](t, ctx, `document.body.dataset.results === "5"`)
	pressed := eval[string](t, ctx, `document.querySelector(".kinds button[aria-pressed=true]").dataset.kind`)
	if pressed != "nursing_room" {
		t.Errorf("restored kind %q, want nursing_room", pressed)
	}
	stars := eval[[]string](t, ctx, `[...document.querySelectorAll("#results .stars")].map(e => e.textContent)`)
	for _, s := range stars {
		if strings.Count(s, "★") < 2 {
			t.Errorf("a room with %s is listed under “two stars or more”", s)
		}
	}
	if len(stars) != 5 {
		t.Errorf("%d rooms listed, want 5", len(stars))
	}
	star := eval[string](t, ctx, `document.querySelector("#results .stars + span").textContent`)
	if !strings.Contains(star, "星级") {
		t.Errorf("star level in words %q", star)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#lang")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] body[data-ready="true"]`)),
	); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.results === "5"`)
	loc := eval[string](t, ctx, `location.search`)
	for _, want := range []string{"lang=en", "kind=nursing_room", "star=2", "near=119.10000%2C27.60000"} {
		if !strings.Contains(loc, want) {
			t.Errorf("English address %q lacks %s", loc, want)
		}
	}
	h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`)
	if h1 != "Childcare & baby rooms" {
		t.Errorf("English h1 %q", h1)
	}
	star = eval[string](t, ctx, `document.querySelector("#results .stars + span").textContent`)
	if !strings.Contains(star, "of 3 stars") {
		t.Errorf("English star level %q", star)
	}
	nav := eval[[]string](t, ctx, `[...document.querySelectorAll("header nav a")].map(a => a.getAttribute("href"))`)
	if !contains(nav, "/benefits.html?lang=en") || !contains(nav, "/planning.html?lang=en") {
		t.Errorf("header links %v do not keep the language or lack the benefits page", nav)
	}
	viewShot(t, ctx, "finder-rooms-en-390.png")

	// Filters from the address: inclusive centres with an infant class only.
	open(t, ctx, ts.URL, "/?near=119.06,27.62&inclusive=true&class=infant", 390, 844)
	poll[bool](t, ctx, `document.body.dataset.results !== "loading" && document.body.dataset.results !== undefined`)
	listed := eval[[]string](t, ctx, `[...document.querySelectorAll("#results li")].map(li => li.textContent)`)
	if len(listed) == 0 {
		t.Errorf("no inclusive centre with an infant class listed")
	}
	for _, li := range listed {
		if !strings.Contains(li, "普惠") || strings.Contains(li, "非普惠") || !strings.Contains(li, "乳儿班") {
			t.Errorf("filtered to inclusive centres with infants, listed %q", li)
		}
	}
	if !eval[bool](t, ctx, `document.getElementById("f-inclusive").checked && document.getElementById("f-class").value === "infant" && document.getElementById("filters").open`) {
		t.Errorf("the filters from the address are not shown")
	}

	// Shanghai: outside the county, said in words.
	open(t, ctx, ts.URL, "/?near=121.47,31.23", 390, 844)
	poll[bool](t, ctx, `document.body.dataset.results === "5"`)
	if outside := eval[string](t, ctx, `(document.querySelector("#status .outside") || {}).textContent || ""`); !strings.Contains(outside, "不在本县内") {
		t.Errorf("no outside-the-county notice for Shanghai: %q", eval[string](t, ctx, `document.getElementById("status").textContent`))
	}
	open(t, ctx, ts.URL, "/?near=119.06,27.62", 390, 844)
	poll[bool](t, ctx, `document.body.dataset.results === "5"`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#status .outside").length`); n != 0 {
		t.Errorf("a position inside the county is called outside it")
	}
	sameOrigin(t, &log, ts.URL)
}
