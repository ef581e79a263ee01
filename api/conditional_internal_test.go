package api

import (
	"strings"
	"testing"
	"time"

	"shanyu/snapshot"
)

// TestValidatorsChangeWithTheDay: an answer that depends on today gets a
// new ETag, and a later Last-Modified, the next day.
func TestValidatorsChangeWithTheDay(t *testing.T) {
	snap := &snapshot.Snapshot{Version: "v1"}
	e0, m0 := validators(&reqState{snap: snap})
	e1, m1 := validators(&reqState{snap: snap, today: "2026-03-01"})
	e2, m2 := validators(&reqState{snap: snap, today: "2026-03-02"})
	if e0 == e1 || e1 == e2 || !strings.Contains(e2, "2026-03-02") {
		t.Errorf("ETags %s %s %s", e0, e1, e2)
	}
	if !m2.After(m1) || !m1.After(m0) || !m2.Equal(time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("Last-Modified %v %v %v", m0, m1, m2)
	}
}
