package e2e

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestWorkbench is a planner at a desktop: the townships coloured on a
// scale centred on the target, the complete table sorted by any column and
// the sort kept in the address, the switch to villages, a region's panel,
// and suggested sites numbered on the map and in the list.
func TestWorkbench(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/planning.html", 1440, 900)

	fills := eval[[]string](t, ctx, `[...document.querySelectorAll(".leaflet-overlay-pane path")].filter(p => p.getAttribute("fill-opacity") === "0.85").map(p => p.getAttribute("fill"))`)
	colours := map[string]int{}
	for _, f := range fills {
		colours[f]++
	}
	if len(fills) != 19 || colours["#fee0b6"]+colours["#f1a340"]+colours["#b35806"] == 0 || colours["#d8daeb"]+colours["#998ec3"]+colours["#542788"] == 0 {
		t.Errorf("township fills %v: want 19 polygons, some short of the target and some meeting it", colours)
	}
	legend := eval[string](t, ctx, `document.querySelector(".legend").textContent`)
	for _, want := range []string{"每千人托位 ÷ 目标", "无数据", "新建社区"} {
		if !strings.Contains(legend, want) {
			t.Errorf("legend %q lacks %q", legend, want)
		}
	}
	viewShot(t, ctx, "workbench-overview-1440.png")
	names := eval[[]string](t, ctx, `[...document.querySelectorAll("#gaps tbody th button")].map(e => e.textContent)`)
	if len(names) != 19 || names[0] != "濛洲街道" {
		t.Errorf("table lists %d townships starting %v, want all 19, the largest gap (濛洲街道) first", len(names), names[:min(3, len(names))])
	}

	// Sort by population, largest first, then smallest first.
	column := func(i int) []float64 {
		cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#gaps tbody tr")].map(tr => tr.children[`+strconv.Itoa(i)+`].textContent)`)
		var out []float64
		for _, c := range cells {
			v, err := strconv.ParseFloat(strings.ReplaceAll(c, ",", ""), 64)
			if err != nil {
				t.Fatalf("cell %q is not a number", c)
			}
			out = append(out, v)
		}
		return out
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#gaps thead th:nth-child(2) button`))); err != nil {
		t.Fatal(err)
	}
	pop := column(1)
	if !sort.IsSorted(sort.Reverse(sort.Float64Slice(pop))) {
		t.Errorf("population after one click %v, want largest first", pop)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#gaps thead th:nth-child(2) button`))); err != nil {
		t.Fatal(err)
	}
	pop = column(1)
	if !sort.Float64sAreSorted(pop) || eval[string](t, ctx, `document.querySelector("#gaps thead th:nth-child(2)").getAttribute("aria-sort")`) != "ascending" {
		t.Errorf("population after two clicks %v, want smallest first and aria-sort ascending", pop)
	}
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "sort=population") || !strings.Contains(loc, "dir=asc") {
		t.Errorf("address %q does not keep the sort", loc)
	}

	// A region's panel from the table.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#gaps tbody tr[data-code="331126002"] th button`))); err != nil {
		t.Fatal(err)
	}
	panel := poll[string](t, ctx, `document.querySelector("#region .spark") && document.getElementById("region").textContent`)
	for _, want := range []string{"濛洲街道", "缺口", "每年运营补助", "现有托育机构"} {
		if !strings.Contains(panel, want) {
			t.Errorf("region panel lacks %q: %q", want, panel)
		}
	}
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "region=331126002") {
		t.Errorf("address %q lacks the region", loc)
	}

	// Suggested sites: numbered on the map and in the list, whole children.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#suggest button`))); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, ctx, `document.body.dataset.suggested === "3"`)
	nums := eval[[]string](t, ctx, `[...document.querySelectorAll(".num.suggestion span")].map(e => e.textContent)`)
	if strings.Join(nums, ",") != "1,2,3" {
		t.Errorf("suggestion markers %v, want 1,2,3", nums)
	}
	items := eval[[]string](t, ctx, `[...document.querySelectorAll("#suggestions li")].map(e => e.textContent)`)
	for _, it := range items {
		if !strings.Contains(it, "名还没有托位的孩子") || strings.Contains(it, ".") {
			t.Errorf("suggestion %q: want its effect in words, in whole children", it)
		}
	}
	stops := eval[int](t, ctx, `[...document.querySelectorAll("#map path, #map .leaflet-marker-icon")].filter(e => e.tabIndex >= 0).length`)
	if stops != 0 {
		t.Errorf("%d map shapes take a Tab stop", stops)
	}
	viewShot(t, ctx, "workbench-1440.png")

	// An earlier year: the figures and the address follow.
	eval[bool](t, ctx, `(() => { const s = document.getElementById("year"); s.value = "2022"; s.dispatchEvent(new Event("change")); return true })()`)
	poll[bool](t, ctx, `document.getElementById("headline").textContent.includes("2022")`)
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "year=2022") {
		t.Errorf("address %q lacks the year", loc)
	}

	// Villages: every one of them in the table.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-level="village"]`))); err != nil {
		t.Fatal(err)
	}
	rows := poll[int](t, ctx, `document.querySelectorAll("#gaps tbody tr").length > 19 && document.querySelectorAll("#gaps tbody tr").length`)
	if rows != 203 {
		t.Errorf("village table has %d rows, want all 203", rows)
	}
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "level=village") {
		t.Errorf("address %q lacks the level", loc)
	}
	sameOrigin(t, &log, ts.URL)
}

// TestWorkbenchRestored opens a shared address on a phone: the village
// level, an earlier year, a village's panel with its township, and the sort.
func TestWorkbenchRestored(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/planning.html?level=village&year=2023&region=331126001003&sort=population&dir=asc", 390, 844)
	poll[bool](t, ctx, `!!document.querySelector("#region .spark")`)
	if got := eval[string](t, ctx, `document.querySelector(".kinds button[aria-pressed=true]").dataset.level`); got != "village" {
		t.Errorf("level %q, want village", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("year").value`); got != "2023" {
		t.Errorf("year %q, want 2023", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("headline").textContent`); !strings.Contains(got, "2023") {
		t.Errorf("headline %q is not for 2023", got)
	}
	panel := eval[string](t, ctx, `document.getElementById("region").textContent`)
	if !strings.Contains(panel, "新建社区") || !strings.Contains(panel, "松源街道") || !strings.Contains(panel, "10") {
		t.Errorf("panel %q: want the new community, its township and its target of 10", panel)
	}
	if got := eval[string](t, ctx, `document.querySelector("#gaps thead th:nth-child(2)").getAttribute("aria-sort")`); got != "ascending" {
		t.Errorf("population column aria-sort %q, want ascending", got)
	}
	width := eval[int](t, ctx, `document.documentElement.scrollWidth`)
	if width > 390 {
		t.Errorf("page is %d px wide on a 390 px phone", width)
	}
	viewShot(t, ctx, "workbench-390.png")

	// A code that names no region is said so, and dropped from the address.
	open(t, ctx, ts.URL, "/planning.html?region=331126999", 390, 844)
	if got := eval[string](t, ctx, `document.getElementById("status").textContent`); !strings.Contains(got, "331126999") {
		t.Errorf("status %q does not say the region code is unknown", got)
	}
	if loc := eval[string](t, ctx, `location.search`); strings.Contains(loc, "region=") {
		t.Errorf("address %q keeps the unknown region", loc)
	}
	sameOrigin(t, &log, ts.URL)
}
