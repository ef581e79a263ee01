package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"shanyu/api"
)

// TestRequestIDSanitised: a client's X-Request-Id is echoed and logged only
// when it is short and made of safe characters; anything else is replaced
// by a fresh id, so it can neither forge log lines nor grow them.
func TestRequestIDSanitised(t *testing.T) {
	var logs bytes.Buffer
	ts := httptest.NewServer(api.NewServer(sampleSnapshot(t), slog.New(slog.NewJSONHandler(&logs, nil))).Handler())
	defer ts.Close()
	if r := get(t, ts, "/healthz", "X-Request-Id", "abc-123_x.y:z"); r.header.Get("X-Request-Id") != "abc-123_x.y:z" {
		t.Errorf("valid id not echoed: %q", r.header.Get("X-Request-Id"))
	}
	for _, bad := range []string{
		"evil\"} {\"level\":\"ERROR", "<script>alert(1)</script>", "a b", "ü-id", strings.Repeat("a", 65), "x\tx",
	} {
		r := get(t, ts, "/healthz", "X-Request-Id", bad)
		got := r.header.Get("X-Request-Id")
		if got == bad || len(got) != 16 {
			t.Errorf("id %q echoed as %q, want a fresh 16-digit id", bad, got)
		}
	}
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if id, _ := rec["request_id"].(string); strings.ContainsAny(id, "<\"{ \t") || len(id) > 64 {
			t.Errorf("logged request id %q", id)
		}
	}
}
