package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDatesAndPeriodsInTheDataRange: days outside the data and periods an
// indicator does not have are 422 problems that say what exists; days and
// periods inside pass.
func TestDatesAndPeriodsInTheDataRange(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ path, location, says string }{
		{"/api/v1/coverage?as_of=0000-01-01", "query.as_of", "outside the data, which covers"},
		{"/api/v1/coverage?as_of=9999-12-31", "query.as_of", "outside the data"},
		{"/api/v1/coverage.csv?as_of=1900-01-01", "query.as_of", "outside the data"},
		{"/api/v1/coverage/accessibility?as_of=0001-01-01", "query.as_of", "outside the data"},
		{"/api/v1/coverage/suggestions?slots=10&as_of=3000-01-01", "query.as_of", "outside the data"},
		{"/api/v1/facilities?open_on=0000-01-01", "query.open_on", "outside the data"},
		{"/api/v1/indicators/births?period=garbage", "query.period", "this indicator has 2020"},
		{"/api/v1/indicators/births.csv?period=1900", "query.period", "this indicator has"},
	} {
		r := get(t, ts, tt.path)
		var p struct {
			Errors []struct{ Location, Message string }
		}
		_ = json.Unmarshal(r.body, &p)
		if r.status != 422 || len(p.Errors) == 0 || p.Errors[0].Location != tt.location || !strings.Contains(p.Errors[0].Message, tt.says) {
			t.Errorf("GET %s = %d %s", tt.path, r.status, r.body)
		}
	}
	for _, path := range []string{"/api/v1/coverage?as_of=2021-06-30", "/api/v1/facilities?open_on=2024-01-01&limit=1",
		"/api/v1/facilities?open_on=" + string(today()) + "&limit=1", "/api/v1/indicators/births?period=2024",
		"/api/v1/indicators/births?period=2023-2025"} {
		if r := get(t, ts, path); r.status != 200 {
			t.Errorf("GET %s = %d %s", path, r.status, r.body)
		}
	}
}
