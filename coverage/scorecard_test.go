package coverage_test

import (
	"testing"

	"shanyu/coverage"
	"shanyu/data/sample"
	"shanyu/policy"
	"shanyu/source/bundle"
)

// TestScorecardListsEveryTarget: every target of the policy, each with a
// status computed from the data.
func TestScorecardListsEveryTarget(t *testing.T) {
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	lines := coverage.Scorecard(snap)
	if len(lines) != len(snap.Policy().Targets) || len(lines) == 0 {
		t.Fatalf("%d lines, %d targets", len(lines), len(snap.Policy().Targets))
	}
	statuses := map[string]int{}
	for _, l := range lines {
		statuses[l.Status]++
		if l.Status == "" || l.Reason == "" {
			t.Errorf("%s: status %q, reason %q", l.Target.ID, l.Status, l.Reason)
		}
		switch l.Target.ID {
		case policy.VillageHealthWorker:
			if l.Status != policy.StatusNotMeasurable {
				t.Errorf("village health workers: %s, want not_measurable (no data)", l.Status)
			}
		case policy.ChildcareSlotsPer1000, policy.PrenatalScreeningRate, policy.ThirdBirthShare:
			if len(l.Series) < 2 || l.Latest == nil {
				t.Errorf("%s: series %v", l.Target.ID, l.Series)
			}
		}
	}
	if statuses[policy.StatusMet]+statuses[policy.StatusOnTrack] == 0 || statuses[policy.StatusOffTrack] == 0 {
		t.Errorf("statuses %v: the sample should show targets met and missed", statuses)
	}
}
