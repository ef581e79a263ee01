package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReferencePages opens the API explorer, follows its link to the
// reference pages, opens the API page from the list and finds its defaults
// table rendered from the Markdown, then the licence: every request
// same-origin.
func TestReferencePages(t *testing.T) {
	ts := startService(t)
	var log pageLog
	ctx := withTimeout(t, newTab(t, &log))
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/docs"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/docs/pages"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/docs/pages"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dl a[href="/docs/api"]`)),
		chromedp.Click(chromedp.CSS(`dl a[href="/docs/api"]`)),
		chromedp.WaitVisible(chromedp.CSS(`article h2#defaults`)),
	); err != nil {
		t.Fatal(err)
	}
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("article table")[0].querySelectorAll("td:first-child")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(cells, " "), "open_on") || len(cells) < 5 {
		t.Errorf("the defaults table has first cells %v", cells)
	}
	current, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("nav [aria-current=page]").textContent`))
	if err != nil || current != "The API" {
		t.Errorf("the page list marks %q as current (%v)", current, err)
	}
	screenshot(t, ctx, "docs-api.png")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`header a[href="/docs/licence"]`)),
		chromedp.WaitVisible(chromedp.CSS(`article pre`)),
	); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("article pre").textContent`))
	if err != nil || !strings.Contains(text, "Apache License") {
		t.Errorf("the licence page shows %.80q (%v)", text, err)
	}
	sameOrigin(t, &log, ts.URL)
}
