package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// TestScorecard is a reader on a phone and at a desktop: every target of the
// policy with its latest value, status and chart, and the indicator table
// where each suppressed value is a marked gap, never a number.
func TestScorecard(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/indicators.html", 390, 844)
	want := evalAwait[int](t, ctx, `fetch("/api/v1/scorecard").then(r => r.json()).then(d => d.items.length)`)
	cards := eval[[]string](t, ctx, `[...document.querySelectorAll("#cards li")].map(li => li.dataset.target + " " + li.querySelector(".badge").textContent)`)
	if len(cards) != want || want < 10 {
		t.Errorf("%d target cards, want every one of the scorecard's %d: %v", len(cards), want, cards)
	}
	tally := eval[string](t, ctx, `document.getElementById("tally").textContent`)
	if !strings.HasPrefix(tally, strconv.Itoa(want)+" 项目标") {
		t.Errorf("tally %q does not count the %d targets", tally, want)
	}
	childcare := eval[string](t, ctx, `document.querySelector('#cards li[data-target="childcare_slots_per_1000"]').textContent`)
	for _, s := range []string{"4.486", "目标 4.5", "期限 2025", "未达标"} {
		if !strings.Contains(childcare, s) {
			t.Errorf("childcare card %q lacks %q", childcare, s)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#cards li[data-target="childcare_slots_per_1000"] svg .target').length`); n != 1 {
		t.Errorf("childcare chart has %d target lines, want 1", n)
	}
	viewShot(t, ctx, "scorecard-390.png")

	// Township births: the table's hidden cells are exactly the API's suppressed values.
	suppressed := evalAwait[int](t, ctx, `fetch("/api/v1/indicators/births?level=township").then(r => r.json()).then(d => d.values.filter(v => v.status === "suppressed").length)`)
	cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#values td.suppressed")].map(td => td.textContent)`)
	if suppressed == 0 || len(cells) != suppressed {
		t.Errorf("%d cells marked hidden, the API suppressed %d", len(cells), suppressed)
	}
	for _, c := range cells {
		if c != "已隐藏*" {
			t.Errorf("a suppressed value reads %q, want the gap marked 已隐藏*", c)
		}
	}
	note := eval[string](t, ctx, `document.getElementById("suppressed-note").textContent`)
	if !strings.Contains(note, "隐私") {
		t.Errorf("no reason given for the hidden values: %q", note)
	}
	method := eval[string](t, ctx, `document.getElementById("method").textContent`)
	name := evalAwait[string](t, ctx, `fetch("/api/v1/indicators").then(r => r.json()).then(d => d.method)`)
	if name == "" || !strings.Contains(method, name) || !strings.Contains(method, "小于5的计数") {
		t.Errorf("method %q lacks its name or its sentence", method)
	}

	// A restored address: village births at a desktop.
	open(t, ctx, ts.URL, "/indicators.html?indicator=births&level=village", 1440, 900)
	poll[bool](t, ctx, `document.body.dataset.table === "births/village"`)
	rows := eval[int](t, ctx, `document.querySelectorAll("#values tbody tr").length`)
	if rows < 150 {
		t.Errorf("village births table has %d rows", rows)
	}
	viewShot(t, ctx, "scorecard-1440.png")
	sameOrigin(t, &log, ts.URL)
}

// TestDataPage checks that every download on the data page answers, and
// that the page names the version to cite, the licence and the sample.
func TestDataPage(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	open(t, ctx, ts.URL, "/data.html", 390, 844)
	links := eval[[]string](t, ctx, `[...document.querySelectorAll("#downloads a")].map(a => a.getAttribute("href"))`)
	if len(links) < 25 {
		t.Errorf("%d downloads listed: %v", len(links), links)
	}
	bad := evalAwait[[]string](t, ctx, `Promise.all([...document.querySelectorAll("#downloads a")].map(a =>
		fetch(a.href).then(r => r.ok ? "" : a.getAttribute("href") + " " + r.status)))
		.then(all => all.filter(Boolean))`)
	if len(bad) != 0 {
		t.Errorf("downloads that fail: %v", bad)
	}
	version := evalAwait[string](t, ctx, `fetch("/api/v1/dataset").then(r => r.json()).then(d => d.version)`)
	if got := eval[string](t, ctx, `document.getElementById("version").textContent`); got != version {
		t.Errorf("version to cite %q, want %q", got, version)
	}
	for _, id := range []string{"citation", "licence", "sample-full"} {
		if text := eval[string](t, ctx, `document.getElementById("`+id+`").textContent`); len(strings.TrimSpace(text)) < 10 {
			t.Errorf("#%s is %q", id, text)
		}
	}
	viewShot(t, ctx, "data-390.png")
	open(t, ctx, ts.URL, "/data.html", 1440, 900)
	viewShot(t, ctx, "data-1440.png")
	sameOrigin(t, &log, ts.URL)
}

// TestEveryPage holds every page to the same rules, in both languages and
// from a 360 px phone to a desktop: one h1, a main landmark, the sample
// notice, a language switch that keeps the page, no horizontal scrolling,
// no console error and nothing from another origin.
func TestEveryPage(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	for _, page := range []string{"/", "/planning.html", "/indicators.html", "/benefits.html", "/data.html", "/docs"} {
		for _, lang := range []string{"", "?lang=en"} {
			open(t, ctx, ts.URL, page+lang, 360, 740)
			if n := eval[int](t, ctx, `[...document.querySelectorAll("h1, [role=heading][aria-level='1']")].filter(h => !h.hasAttribute("aria-level") || h.getAttribute("aria-level") === "1").length`); n != 1 {
				t.Errorf("%s%s has %d h1", page, lang, n)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll("main, header, nav, footer").length`); n < 4 {
				t.Errorf("%s%s lacks landmarks (%d)", page, lang, n)
			}
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
				t.Errorf("%s%s is %d px wide on a 360 px phone", page, lang, w)
			}
			notice := eval[string](t, ctx, `document.getElementById("sample-text").textContent`)
			if !strings.Contains(notice, "样例数据") && !strings.Contains(notice, "Sample data") {
				t.Errorf("%s%s sample notice %q", page, lang, notice)
			}
			h := eval[float64](t, ctx, `document.getElementById("sample").getBoundingClientRect().height`)
			if h > 40 {
				t.Errorf("%s%s sample notice is %.0f px high on a phone, want one line", page, lang, h)
			}
			switchTo := eval[string](t, ctx, `document.getElementById("lang").getAttribute("href")`)
			if !strings.HasPrefix(switchTo, strings.TrimSuffix(page, "/")+"/") && !strings.HasPrefix(switchTo, page) {
				t.Errorf("%s%s language switch goes to %q", page, lang, switchTo)
			}
			wantLang := map[string]string{"": "zh-CN", "?lang=en": "en"}[lang]
			if got := eval[string](t, ctx, `document.documentElement.lang`); got != wantLang {
				t.Errorf("%s%s html lang %q, want %q", page, lang, got, wantLang)
			}
		}
	}
	sameOrigin(t, &log, ts.URL)
}
