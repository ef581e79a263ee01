package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReport runs testsum on a small module of its own: a package that
// passes, one whose test and subtest fail, one that does not build, and one
// under the race detector with a test moved out of it. The report must fail,
// show the failures' output, list the slowest tests and close with the
// counts that CI reads.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "testsum")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mod := filepath.Join(dir, "m")
	files := map[string]string{
		"go.mod":         "module m\n\ngo 1.26\n",
		"good/g.go":      "package good\n",
		"good/g_test.go": "package good\n\nimport \"testing\"\n\nfunc TestGood(t *testing.T) {}\nfunc TestSkipped(t *testing.T) { t.Skip(\"on purpose\") }\n",
		"bad/b.go":       "package bad\n",
		"bad/b_test.go": "package bad\n\nimport \"testing\"\n\nfunc TestBad(t *testing.T) { t.Log(\"the detail\"); t.Error(\"broken on purpose\") }\n" +
			"func TestParent(t *testing.T) { t.Run(\"child\", func(t *testing.T) { t.Error(\"child broken\") }) }\n",
		"broken/x.go":    "package broken\n\nfunc f() { undefined() }\n",
		"racy/r.go":      "package racy\n",
		"racy/r_test.go": "package racy\n\nimport \"testing\"\n\nfunc TestRaced(t *testing.T) {}\nfunc TestSlowLP(t *testing.T) {}\n",
	}
	for name, text := range files {
		p := filepath.Join(mod, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-race", "./racy", "-norace-tests", "^TestSlowLP$", "./...")
	cmd.Dir = mod
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err == nil {
		t.Fatalf("testsum exited 0 with failing tests:\n%s", text)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	// Passed: TestGood, TestRaced, TestSlowLP; failed: TestBad, TestParent
	// and its child; skipped: TestSkipped.
	if last := lines[len(lines)-1]; last != "3 passed, 3 failed, 1 skipped" {
		t.Errorf("closing line %q, want 3 passed, 3 failed, 1 skipped:\n%s", last, text)
	}
	for _, want := range []string{
		"the detail", "broken on purpose", "child broken", // failing tests' output
		"FAIL\tm/bad", "FAIL\tm/broken", "ok  \tm/good", "ok  \tm/racy", "(race)",
		"undefined: undefined", // the build error
		"slowest tests:", "m/racy TestSlowLP\n", "m/racy TestRaced (race)",
		"\nFAIL\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "m/racy TestSlowLP (race)") {
		t.Errorf("TestSlowLP ran under the race detector:\n%s", text)
	}
}
