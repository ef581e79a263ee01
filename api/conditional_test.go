package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestConditionalAfterValidation: a 304 only where the handler would have
// answered 200 with that ETag. A valid ETag does not hide a bad query or
// an unknown id, "*" matches existing resources only, If-Modified-Since is
// honoured, and the ETag of an answer that depends on today says the date.
func TestConditionalAfterValidation(t *testing.T) {
	ts := newTestServer(t)
	ok := get(t, ts, "/api/v1/facilities?limit=2")
	etag := ok.header.Get("ETag")
	if ok.status != 200 || etag == "" {
		t.Fatalf("GET = %d, ETag %q", ok.status, etag)
	}
	for _, tt := range []struct {
		path, inm string
		want      int
	}{
		{"/api/v1/facilities?limit=abc", etag, 422},
		{"/api/v1/facilities?limit=2&limit=3", etag, 422},
		{"/api/v1/facilities/NOPE", etag, 404},
		{"/api/v1/facilities/NOPE", "*", 404},
		{"/api/v1/nope", "*", 404},
		{"/api/v1/regions/331126999", "*", 404},
		{"/api/v1/facilities/CC0001", "*", 304},
		{"/api/v1/facilities?limit=2", etag, 304},
		{"/api/v1/facilities?limit=2", `"other", ` + etag, 304},
		{"/api/v1/facilities?limit=2", `"other"`, 200},
	} {
		if r := get(t, ts, tt.path, "If-None-Match", tt.inm); r.status != tt.want {
			t.Errorf("GET %s If-None-Match %s = %d, want %d", tt.path, tt.inm, r.status, tt.want)
		}
	}

	modified, err := http.ParseTime(get(t, ts, "/api/v1/dataset").header.Get("Last-Modified"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ims  time.Time
		want int
	}{{modified, 304}, {modified.Add(time.Hour), 304}, {modified.Add(-time.Second), 200}} {
		if r := get(t, ts, "/api/v1/dataset", "If-Modified-Since", tt.ims.Format(http.TimeFormat)); r.status != tt.want {
			t.Errorf("If-Modified-Since %v (modified %v) = %d, want %d", tt.ims, modified, r.status, tt.want)
		}
	}
	if r := get(t, ts, "/api/v1/dataset", "If-Modified-Since", modified.Format(http.TimeFormat),
		"If-None-Match", `"other"`); r.status != 200 {
		t.Errorf("If-None-Match must win over If-Modified-Since: %d", r.status)
	}
	if r := get(t, ts, "/api/v1/dataset?limit=1", "If-Modified-Since", modified.Format(http.TimeFormat)); r.status != 422 {
		t.Errorf("If-Modified-Since on a bad query = %d, want 422", r.status)
	}

	// Without open_on the list depends on today's date: its ETag says it.
	d := string(today())
	if !strings.Contains(etag, d) {
		t.Errorf("ETag %q of a today-dependent list lacks %s", etag, d)
	}
	if e := get(t, ts, "/api/v1/facilities?limit=2&open_on=any").header.Get("ETag"); strings.Contains(e, d) {
		t.Errorf("ETag %q of open_on=any depends on the day", e)
	}
	if e := get(t, ts, "/api/v1/facilities?limit=2&open_on=2025-06-01").header.Get("ETag"); strings.Contains(e, d) || e == "" {
		t.Errorf("ETag %q of a fixed day depends on today", e)
	}
}
