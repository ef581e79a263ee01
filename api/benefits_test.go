package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"shanyu/api"
)

func post(t testing.TB, ts *httptest.Server, path, body string) response {
	t.Helper()
	res, err := ts.Client().Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

// TestBenefitsForTheIssuesFamily posts the issue's example family: a 2nd
// child born 2023-05-10, pregnant with a 3rd, two provident-fund depositors,
// as of 2026-11-30. By hand from the clauses: 36 × 300 = 10,800 yuan of
// allowance (2023-05 to 2026-04, all due), 500 yuan pregnancy subsidy, loan
// ceiling 1,200,000 yuan, rent withdrawal 2 × 27,000 yuan a year.
func TestBenefitsForTheIssuesFamily(t *testing.T) {
	ts := newTestServer(t)
	r := post(t, ts, "/api/v1/benefits",
		`{"as_of": "2026-11-30", "children": [{"birth_date": "2023-05-10", "order": 2}], "pregnant_with_order": 3, "fund_depositors": 2}`)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store: the answer is about one family", cc)
	}
	if r.header.Get("ETag") != "" || r.header.Get("Set-Cookie") != "" {
		t.Errorf("the answer carries an ETag or a cookie: %v", r.header)
	}
	var ans api.BenefitsAnswer
	if err := json.Unmarshal(r.body, &ans); err != nil {
		t.Fatal(err)
	}
	byID := map[string]int{}
	for i, it := range ans.Items {
		byID[it.ID] = i
	}
	if len(ans.Items) != 5 || len(byID) != 5 {
		t.Fatalf("items %+v, want the allowance, the pregnancy subsidy, the two provident-fund items and inclusive childcare", ans.Items)
	}
	al := ans.Items[byID["childcare_allowance"]]
	if !al.Eligible || al.ChildOrder != 2 || *al.MonthlyYuan != 300 || al.FirstMonth != "2023-05" || al.LastMonth != "2026-04" ||
		al.Months != 36 || *al.TotalYuan != 10800 || *al.DueYuan != 10800 || *al.RemainingYuan != 0 || al.Clause != "（八）" {
		t.Errorf("childcare_allowance = %+v", al)
	}
	ps := ans.Items[byID["pregnancy_subsidy"]]
	if !ps.Eligible || ps.ChildOrder != 3 || *ps.AmountYuan != 500 || ps.Clause != "（十三）" {
		t.Errorf("pregnancy_subsidy = %+v", ps)
	}
	if loan := ans.Items[byID["housing_fund_loan"]]; !loan.Eligible || *loan.AmountYuan != 1200000 {
		t.Errorf("housing_fund_loan = %+v", loan)
	}
	if rent := ans.Items[byID["housing_fund_rent"]]; !rent.Eligible || *rent.AmountYuan != 54000 {
		t.Errorf("housing_fund_rent = %+v", rent)
	}
	if ans.Totals.TotalYuan != 11300 || ans.Totals.DueYuan != 11300 || ans.Totals.RemainingYuan != 0 {
		t.Errorf("totals = %+v, want 11300 total, all due", ans.Totals)
	}
	if ans.AsOf != "2026-11-30" || ans.Validity.Clause != "七（一）" || len(ans.Readings) < 5 || len(ans.Conditions) < 3 ||
		ans.Notice.Zh == "" || ans.Policy.NameZh == "" {
		t.Errorf("answer lacks as_of, validity, readings, conditions, notice or policy: %s", r.body)
	}
	for _, it := range ans.Items {
		if it.Reason.Zh == "" || it.Reason.En == "" || it.Clause == "" {
			t.Errorf("item %s lacks its reason in both languages or its clause", it.ID)
		}
	}
}

// TestBenefitsDefaultsToToday leaves as_of out: it is today in China
// Standard Time, and a child born today is accepted. A null pregnancy is
// no pregnancy.
func TestBenefitsDefaultsToToday(t *testing.T) {
	ts := newTestServer(t)
	born := string(today())
	r := post(t, ts, "/api/v1/benefits", `{"children": [{"birth_date": "`+born+`", "order": 2}], "pregnant_with_order": null}`)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var ans api.BenefitsAnswer
	if err := json.Unmarshal(r.body, &ans); err != nil {
		t.Fatal(err)
	}
	if ans.AsOf != born || ans.Totals.DueYuan != 300 || ans.Totals.TotalYuan != 10800 {
		t.Errorf("as_of %s, due %d, total %d; want today %s, 300 due (the birth month), 10800 in all", ans.AsOf, ans.Totals.DueYuan, ans.Totals.TotalYuan, born)
	}
}

// TestBenefitsBadInput lists bad bodies: each is a 422 problem naming the
// field and saying what to fix.
func TestBenefitsBadInput(t *testing.T) {
	ts := newTestServer(t)
	tomorrow := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
	for _, tt := range []struct {
		name, body string
		status     int
		location   string
		says       string
	}{
		{"birth date in the future", `{"children": [{"birth_date": "` + tomorrow + `", "order": 2}]}`, 422, "body.children[0].birth_date", "in the future"},
		{"birth date malformed", `{"children": [{"birth_date": "10/05/2023", "order": 2}]}`, 422, "body.children[0].birth_date", "YYYY-MM-DD"},
		{"birth date not on the calendar", `{"children": [{"birth_date": "2023-02-30", "order": 2}]}`, 422, "body.children[0].birth_date", "a day of the calendar as YYYY-MM-DD"},
		{"as_of malformed", `{"as_of": "2026-1-5"}`, 422, "body.as_of", "YYYY-MM-DD"},
		{"as_of not on the calendar", `{"as_of": "2026-13-01"}`, 422, "body.as_of", "YYYY-MM-DD"},
		{"unknown field", `{"pregnant": true}`, 422, "body.pregnant", "the body takes only as_of, children"},
		{"unknown child field", `{"children": [{"birth_date": "2023-05-10", "order": 2, "name": "小明"}]}`, 422, "body.children[0].name", "each child takes only birth_date and order"},
		{"order given twice", `{"children": [{"birth_date": "2023-05-10", "order": 2}, {"birth_date": "2024-05-10", "order": 2}]}`, 422, "body.children[1].order", "already given"},
		{"orders against the dates", `{"children": [{"birth_date": "2024-05-10", "order": 2}, {"birth_date": "2023-05-10", "order": 3}]}`, 422, "body.children[1].order", "cannot be born before the 2nd"},
		{"pregnancy order already born", `{"children": [{"birth_date": "2023-05-10", "order": 3}], "pregnant_with_order": 2}`, 422, "body.pregnant_with_order", "4th or later"},
		{"order zero", `{"children": [{"birth_date": "2023-05-10", "order": 0}]}`, 422, "body.children[0].order", ">= 1"},
		{"order missing", `{"children": [{"birth_date": "2023-05-10"}]}`, 422, "body.children[0]", "order"},
		{"pregnant with order zero", `{"pregnant_with_order": 0}`, 422, "body.pregnant_with_order", ">= 1"},
		{"three depositors", `{"fund_depositors": 3}`, 422, "body.fund_depositors", "<= 2"},
		{"depositors as text", `{"fund_depositors": "two"}`, 422, "body.fund_depositors", "integer"},
		{"not JSON", `children=2023-05-10`, 400, "body", "send a JSON object"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, ts, "/api/v1/benefits", tt.body)
			if r.status != tt.status {
				t.Fatalf("POST %s = %d, want %d: %s", tt.body, r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
			var p struct {
				Detail string `json:"detail"`
				Errors []struct {
					Message  string `json:"message"`
					Location string `json:"location"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(r.body, &p); err != nil {
				t.Fatalf("problem %s: %v", r.body, err)
			}
			text, found := p.Detail, tt.location == ""
			for _, e := range p.Errors {
				if e.Location == tt.location {
					text, found = e.Message, true
				}
			}
			if !found {
				t.Fatalf("no error at %s in %s", tt.location, r.body)
			}
			if !strings.Contains(strings.ToLower(text), strings.ToLower(tt.says)) {
				t.Errorf("message %q does not say %q", text, tt.says)
			}
		})
	}
}

// TestBenefitsLogNothingOfTheBody posts families, good and bad, to a server
// whose log is kept: the log has the request lines and none of the facts.
func TestBenefitsLogNothingOfTheBody(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := httptest.NewServer(api.NewServer(sampleSnapshot(t), log).Handler())
	t.Cleanup(ts.Close)
	for _, body := range []string{
		`{"as_of": "2026-11-29", "children": [{"birth_date": "2023-05-17", "order": 2}], "pregnant_with_order": 3, "fund_depositors": 2}`,
		`{"children": [{"birth_date": "2023-05-17", "order": 2}, {"birth_date": "2023-05-17", "order": 2}]}`,
		`{"children": [{"birth_date": "2023-05-17", "order": 2, "secret": "2023-05-17"}]}`,
		`{"children": [{"birth_date": "2023-02-30", "order": 2}]}`,
		`{"children": [{"birth_date": "2999-05-17", "order": 2}]}`,
	} {
		post(t, ts, "/api/v1/benefits", body)
	}
	text := logged.String()
	if strings.Count(text, `"path":"/api/v1/benefits"`) != 5 {
		t.Fatalf("the log should hold five request lines:\n%s", text)
	}
	for _, fact := range []string{"2023-05-17", "2023-02-30", "2999", "2026-11-29", "birth_date", "secret", "pregnant", "fund_depositors"} {
		if strings.Contains(text, fact) {
			t.Errorf("the log holds %q from a body:\n%s", fact, text)
		}
	}
}

// TestBenefitsOnlyByPost keeps the family's facts out of URLs: there is no
// GET form of the calculator, and a form-encoded POST is told to send JSON.
func TestBenefitsOnlyByPost(t *testing.T) {
	ts := newTestServer(t)
	if r := get(t, ts, "/api/v1/benefits?children=2023-05-10"); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "POST" {
		t.Errorf("GET /api/v1/benefits = %d, Allow %q; want 405, Allow: POST", r.status, r.header.Get("Allow"))
	}
	res, err := ts.Client().Post(ts.URL+"/api/v1/benefits", "application/x-www-form-urlencoded", strings.NewReader("order=2"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(string(b), "Content-Type: application/json") {
		t.Errorf("a form POST = %d %s, want 415 saying to send JSON", res.StatusCode, b)
	}
}

// TestBenefitsNeverFail posts random bodies, well and badly formed: each
// gets an answer or a 4xx problem, never a 5xx.
func TestBenefitsNeverFail(t *testing.T) {
	ts := newTestServer(t)
	rng := rand.New(rand.NewPCG(16, 16))
	values := []string{`"2023-05-10"`, `"2022-12-31"`, `"2999-01-01"`, `"2023-02-30"`, `""`, `null`, `0`, `-1`, `2`, `3`, `11`,
		`1e9`, `2.5`, `true`, `[]`, `{}`, `"二"`, `[{"birth_date": "2024-03-15", "order": 3}]`}
	fields := []string{"as_of", "children", "pregnant_with_order", "fund_depositors", "birth_date", "order", "x"}
	for i := range 300 {
		var b strings.Builder
		b.WriteString("{")
		for j := range rng.IntN(5) {
			if j > 0 {
				b.WriteString(",")
			}
			field := fields[rng.IntN(len(fields))]
			value := values[rng.IntN(len(values))]
			if field == "children" && rng.IntN(2) == 0 {
				value = fmt.Sprintf(`[{"birth_date": %s, "order": %s}, {"birth_date": %s, "order": %s}]`,
					values[rng.IntN(4)], values[6+rng.IntN(5)], values[rng.IntN(4)], values[6+rng.IntN(5)])
			}
			fmt.Fprintf(&b, "%q: %s", field, value)
		}
		b.WriteString("}")
		if i%50 == 0 {
			b.WriteString("}") // now and then, not JSON at all
		}
		r := post(t, ts, "/api/v1/benefits", b.String())
		if r.status != 200 && r.status != 400 && r.status != 422 {
			t.Errorf("POST %s = %d: %s", b.String(), r.status, r.body)
		}
	}
}
