package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// viewportShot saves what a phone shows without scrolling.
func viewportShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
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

// TestBenefitsCalculator fills the benefits form on a 390×844 phone the
// way the family would — a 2nd child born 2023-05-10, pregnant
// with a 3rd, two provident-fund depositors, as of 2026-11-30 — and reads
// the answer: 10,800 yuan of allowance (36 × 300, all due) plus the
// 500-yuan pregnancy subsidy, a timeline by year (8, 12, 12 and 4 months),
// and every item with its clause. The address keeps nothing of the form,
// nothing is stored in the browser, and a birth in the future is refused
// with the API's own words. Then twins after a first child, entered with
// the form's "add a child" button.
func TestBenefitsCalculator(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(ts.URL+"/benefits.html"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.SetValue(chromedp.CSS(`#children li:nth-child(1) .birth`), "2023-05-10"),
		chromedp.SetValue(chromedp.CSS(`#children li:nth-child(1) .order`), "2"),
		chromedp.SetValue(chromedp.CSS(`#pregnant`), "3"),
		chromedp.Click(chromedp.CSS(`input[name="depositors"][value="2"]`)),
		chromedp.SetValue(chromedp.CSS(`#as-of`), "2026-11-30"),
	); err != nil {
		t.Fatal(err)
	}
	viewportShot(t, ctx, "benefits-form-phone.png")
	historyBefore, err := chromedp.Run(ctx, chromedp.Evaluate[int](`history.length`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#calculate`)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-answered="true"] #items li`)),
	); err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return v
	}
	list := func(expr string) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	total, due, remaining := text(`#total`), text(`#due`), text(`#remaining`)
	ids := list(`[...document.querySelectorAll("#items > li")].map(li => li.dataset.id + ":" + li.className + ":" + li.querySelector(".clause").textContent)`)
	years := list(`[...document.querySelectorAll("#years li")].map(li => li.textContent)`)
	bars := list(`[...document.querySelectorAll("#timeline .bar")].map(b => b.title)`)
	if total != "¥11,300" || due != "¥11,300" || remaining != "¥0" {
		t.Errorf("totals: total %q, due %q, remaining %q; want ¥11,300, ¥11,300, ¥0", total, due, remaining)
	}
	wantItems := []string{"childcare_allowance:eligible:条款 clause （八）", "pregnancy_subsidy:eligible:条款 clause （十三）",
		"housing_fund_loan:eligible:条款 clause （八）", "housing_fund_rent:eligible:条款 clause （八）", "inclusive_childcare:eligible:条款 clause （七）"}
	if strings.Join(ids, "|") != strings.Join(wantItems, "|") {
		t.Errorf("items %v, want %v", ids, wantItems)
	}
	wantYears := []string{"2023¥2,400", "2024¥3,600", "2025¥3,600", "2026¥1,200"}
	if strings.Join(years, "|") != strings.Join(wantYears, "|") {
		t.Errorf("allowance by year %v, want %v", years, wantYears)
	}
	if len(bars) != 1 || bars[0] != "2023-05 – 2026-04" {
		t.Errorf("timeline bars %v, want one from 2023-05 to 2026-04", bars)
	}
	loan, trial := text(`#items li[data-id="housing_fund_loan"] .amount`), text(`#trial`)
	if !strings.Contains(loan, "¥1,200,000") {
		t.Errorf("loan ceiling line %q, want ¥1,200,000", loan)
	}
	if !strings.Contains(trial, "¥4,800") || !strings.Contains(trial, "2025-01") {
		t.Errorf("trial warning %q, want ¥4,800 after 2025-01", trial)
	}
	type browserState struct {
		Href    string `json:"href"`
		Stored  int    `json:"stored"`
		Cookie  string `json:"cookie"`
		History int    `json:"history"`
		Width   int    `json:"width"`
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[browserState](`({href: location.href, stored: localStorage.length + sessionStorage.length,
		cookie: document.cookie, history: history.length, width: document.documentElement.scrollWidth})`))
	if err != nil {
		t.Fatal(err)
	}
	if state.Href != ts.URL+"/benefits.html" || state.Stored != 0 || state.Cookie != "" || state.History != historyBefore {
		t.Errorf("the browser kept something of the form: %+v", state)
	}
	if state.Width > 390 {
		t.Errorf("page is %d px wide on a 390 px phone", state.Width)
	}
	for _, shot := range []struct{ id, name string }{{"answer", "benefits-answer-phone.png"}, {"items", "benefits-items-phone.png"}} {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("`+shot.id+`").scrollIntoView(); true`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		viewportShot(t, ctx, shot.name)
	}
	screenshot(t, ctx, "benefits-full-phone.png")

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("conditions-box").scrollIntoView(); true`)); err != nil {
		t.Fatal(err)
	}
	viewportShot(t, ctx, "benefits-conditions-phone.png")

	// A birth in the future: the API's problem is shown next to the form.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#children li:nth-child(1) .birth`), "2999-01-01"),
		chromedp.Click(chromedp.CSS(`#calculate`)),
		chromedp.WaitVisible(chromedp.CSS(`#error li`)),
	); err != nil {
		t.Fatal(err)
	}
	problem := text(`#error`)
	if !strings.Contains(problem, "child 1 (birth_date)") || !strings.Contains(problem, "in the future") {
		t.Errorf("problem shown %q, want the first child's birth date in the future", problem)
	}
	// Twins after a first child, added with the form's own button: a 2nd
	// and a 3rd child at once, 300 + 600 a month from 2024-03 to 2027-02,
	// 33 months due by 2026-11-30.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#children li:nth-child(1) .birth`), "2024-03-15"),
		chromedp.Click(chromedp.CSS(`#add-child`)),
		chromedp.SetValue(chromedp.CSS(`#children li:nth-child(2) .birth`), "2024-03-15"),
		chromedp.SetValue(chromedp.CSS(`#children li:nth-child(2) .order`), "3"),
		chromedp.SetValue(chromedp.CSS(`#pregnant`), ""),
		chromedp.Click(chromedp.CSS(`input[name="depositors"][value="1"]`)),
		chromedp.Click(chromedp.CSS(`#calculate`)),
	); err != nil {
		t.Fatal(err)
	}
	twins, err := chromedp.Run(ctx, chromedp.Poll[string](
		`!document.getElementById("answer").hidden && document.getElementById("total").textContent === "¥32,400" && document.getElementById("due").textContent`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || twins != "¥29,700" {
		t.Errorf("twins: due %q, want ¥29,700 of ¥32,400: %v", twins, err)
	}
	if bars := list(`[...document.querySelectorAll("#timeline .bar")].map(b => b.title)`); len(bars) != 2 {
		t.Errorf("twins: timeline bars %v, want two", bars)
	}
	if loan := text(`#items li[data-id="housing_fund_loan"] .amount`); !strings.Contains(loan, "¥720,000") {
		t.Errorf("twins with one depositor: loan line %q, want ¥720,000", loan)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("answer").scrollIntoView(); true`)); err != nil {
		t.Fatal(err)
	}
	viewportShot(t, ctx, "benefits-twins-phone.png")

	log.mu.Lock()
	posted := false
	for _, u := range log.requests {
		posted = posted || u == ts.URL+"/api/v1/benefits"
		if strings.Contains(u, "2023-05-10") || strings.Contains(u, "2999") || strings.Contains(u, "?") {
			t.Errorf("a request URL carries the family's facts: %s", u)
		}
	}
	log.mu.Unlock()
	if !posted {
		t.Error("the page never posted to /api/v1/benefits")
	}
	sameOrigin(t, &log, ts.URL)
}
