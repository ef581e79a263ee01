package api

import (
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"shanyu/data/sample"
	"shanyu/source/bundle"
)

// The parsers either refuse with an error or return values a query can
// trust: finite, in range, in order.
func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"119.03,27.59,119.09,27.64", "1,2,0,3", "NaN,0,1,1", "-180,-90,180,90", ",,,", "1e400,0,1,1", " 1, 2 ,3,4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := parseBBox(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("parseBBox(%q) = %v", s, b)
			}
		}
		if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] || b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
			t.Fatalf("parseBBox(%q) = %v: out of range or order", s, b)
		}
	})
}

func FuzzParsePoint(f *testing.F) {
	for _, s := range []string{"119.06,27.62", "181,0", "0,-90", "Inf,1", "1,2,3", "0x1p-2,1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePoint(s)
		if err != nil {
			return
		}
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
			t.Fatalf("parsePoint(%q) = %v", s, p)
		}
	})
}

func FuzzParseCursor(f *testing.F) {
	f.Add(cursor{offset: 50, version: "abc"}.String())
	f.Add("YzE6NTpvbGR2ZXJzaW9u")
	f.Add("")
	f.Add("YzE6LTE6dg")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCursor(s)
		if err != nil {
			return
		}
		if c.offset < 0 || c.version == "" {
			t.Fatalf("parseCursor(%q) = %+v", s, c)
		}
		// What parses round-trips.
		back, err := parseCursor(c.String())
		if err != nil || back != c {
			t.Fatalf("cursor %+v does not round-trip: %+v, %v", c, back, err)
		}
	})
}

// FuzzFacilitiesQuery sends arbitrary query strings through the whole
// handler: every answer is a 200 or a 4xx problem, never a 500 or a panic.
func FuzzFacilitiesQuery(f *testing.F) {
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		f.Fatal(err)
	}
	h := NewServer(snap, nil).Handler()
	for _, s := range []string{"near=119.06,27.62&kind=childcare&limit=5", "bbox=1,2,0,3", "limit=0", "cursor=%zz",
		"max_distance=NaN&near=1,1", "kind=childcare&kind=x", "offset=99999999999999999999", "open_on=any&star_min=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := url.ParseQuery(q); err != nil {
			return // not a query a client could send
		}
		for _, path := range []string{"/api/v1/facilities", "/api/v1/facilities.csv", "/api/v1/coverage", "/api/v1/coverage/series"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = q
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 || (rec.Code != 200 && rec.Code/100 != 4) {
				t.Fatalf("GET %s?%s = %d: %s", path, q, rec.Code, rec.Body)
			}
		}
	})
}
