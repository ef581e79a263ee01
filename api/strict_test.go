package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"shanyu/api"
)

// TestStrictQuery: unknown parameters, repeats of single-valued ones and
// non-finite numbers are 422 problems naming the parameter, on every
// operation (the check reads each operation's declared parameters), and
// the log stays JSON.
func TestStrictQuery(t *testing.T) {
	var logs bytes.Buffer
	ts := httptest.NewServer(api.NewServer(sampleSnapshot(t), slog.New(slog.NewJSONHandler(&logs, nil))).Handler())
	defer ts.Close()
	for _, tt := range []struct {
		path, location, says string
	}{
		{"/api/v1/facilities?limt=5", "query.limt", "unknown query parameter"},
		{"/api/v1/facilities?limit=5&limit=abc", "query.limit", "takes one value"},
		{"/api/v1/facilities?near=119,27&near=119,28", "query.near", "takes one value"},
		{"/api/v1/dataset?x=1", "query.x", "takes no query parameters"},
		{"/api/v1/regions/331126?level=county", "query.level", "unknown query parameter"},
		{"/api/v1/coverage/accessibility?catchment=Inf", "query.catchment", "finite"},
		{"/api/v1/coverage/accessibility?catchment=-Inf", "query.catchment", "finite"},
		{"/api/v1/coverage/accessibility?catchment=infinity", "query.catchment", "finite"},
		{"/api/v1/coverage/accessibility?catchment=NaN", "query.catchment", "finite"},
		{"/api/v1/coverage/accessibility?catchment=1e999", "query.catchment", "finite"},
		{"/api/v1/coverage/suggestions?slots=10&catchment=+Inf", "query.catchment", "finite"},
		{"/api/v1/facilities?near=119,27&max_distance=-Inf", "query.max_distance", "finite"},
	} {
		r := get(t, ts, tt.path)
		if r.status != 422 || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s = %d %s: %s", tt.path, r.status, r.header.Get("Content-Type"), r.body)
			continue
		}
		var p struct {
			Errors []struct{ Location, Message string }
		}
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatalf("GET %s: not JSON: %s", tt.path, r.body)
		}
		i := slices.IndexFunc(p.Errors, func(e struct{ Location, Message string }) bool { return e.Location == tt.location })
		if i < 0 || !strings.Contains(p.Errors[i].Message, tt.says) {
			t.Errorf("GET %s: %s does not say %q at %s", tt.path, r.body, tt.says, tt.location)
		}
	}
	// Parameters an operation declares, and repeats of the one array, pass.
	for _, path := range []string{"/api/v1/facilities?kind=childcare&kind=nursing_room&limit=1",
		"/api/v1/coverage/accessibility?catchment=1000&level=township"} {
		if r := get(t, ts, path); r.status != 200 {
			t.Errorf("GET %s = %d: %s", path, r.status, r.body)
		}
	}
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		if !json.Valid(line) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}
}
