package policy

import (
	"os"
	"sync"
	"testing"
)

var (
	sampleOnce sync.Once
	sample     *Policy
	sampleErr  error
)

// samplePolicy reads the bundled sample county's policy file, the one the
// benefit tests check the calculator against.
func samplePolicy(t testing.TB) *Policy {
	t.Helper()
	sampleOnce.Do(func() {
		var b []byte
		if b, sampleErr = os.ReadFile("../data/sample/bundle/policy.json"); sampleErr == nil {
			sample, sampleErr = Parse(b)
		}
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sample
}
