// Command testsum runs the test suite through `go test -json` and reports
// it: each package's result line as go test prints it, the output of every
// failing test, the slowest tests, and a closing count. It exits non-zero
// when anything failed or did not build.
//
//	go run ./tools/testsum -race './api ./store/...' -norace-tests '^TestAttack' ./...
//
// The packages matching -race run under the race detector; the tests
// matching -norace-tests are skipped there and run again without it (they
// are linear-programming work with no concurrency, and 10 times slower under
// -race); every other package runs without the race detector.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	race := flag.String("race", "", "space-separated package patterns to test with -race")
	noRace := flag.String("norace-tests", "", "regexp of tests of the -race packages to run without -race")
	slowest := flag.Int("slowest", 10, "how many of the slowest tests to list")
	timeout := flag.String("timeout", "20m", "go test -timeout")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	all, err := list(patterns)
	if err != nil {
		fail(err)
	}
	var racePkgs, rest []string
	if f := strings.Fields(*race); len(f) > 0 {
		if racePkgs, err = list(f); err != nil {
			fail(err)
		}
	}
	for _, p := range all {
		if !slices.Contains(racePkgs, p) {
			rest = append(rest, p)
		}
	}
	var groups []group
	if len(racePkgs) > 0 {
		args := []string{"-race"}
		if *noRace != "" {
			args = append(args, "-skip", *noRace)
		}
		groups = append(groups, group{"race", append(args, racePkgs...)})
		if *noRace != "" {
			groups = append(groups, group{"", append([]string{"-run", *noRace}, racePkgs...)})
		}
	}
	if len(rest) > 0 {
		groups = append(groups, group{"", rest})
	}

	r := &report{out: os.Stdout, output: map[string][]string{}}
	start := time.Now()
	ok := true
	for _, g := range groups {
		if !r.run(g, *timeout) {
			ok = false
		}
	}
	ok = r.summary(*slowest, time.Since(start)) && ok
	if !ok {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "testsum:", err)
	os.Exit(2)
}

// list expands package patterns with go list.
func list(patterns []string) ([]string, error) {
	out, err := exec.Command("go", append([]string{"list"}, patterns...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("go list %s: %v\n%s", strings.Join(patterns, " "), err, ee.Stderr)
		}
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// group is one go test invocation.
type group struct {
	label string // "race" or ""
	args  []string
}

// event is one line of `go test -json` (test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail
	Test       string
	Elapsed    float64
	Output     string
}

type timing struct {
	name    string
	elapsed float64
}

type report struct {
	out                     io.Writer
	output                  map[string][]string // by package and test
	timings                 []timing
	passed, failed, skipped int
	failures                []string
	packagesFailed          int
}

// run runs one go test invocation and reports its events as they come. It
// returns false when go test failed.
func (r *report) run(g group, timeout string) bool {
	args := append([]string{"test", "-json", "-count=1", "-timeout", timeout}, g.args...)
	fmt.Fprintf(r.out, "go %s\n", strings.Join(args, " "))
	cmd := exec.Command("go", args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fail(err)
	}
	if err := cmd.Start(); err != nil {
		fail(err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			fmt.Fprintln(r.out, sc.Text())
			continue
		}
		r.event(e, g.label)
	}
	return cmd.Wait() == nil
}

func (r *report) event(e event, label string) {
	key := e.Package + " " + e.Test
	switch e.Action {
	case "build-output":
		r.output["build "+e.ImportPath] = append(r.output["build "+e.ImportPath], e.Output)
	case "build-fail":
		fmt.Fprint(r.out, strings.Join(r.output["build "+e.ImportPath], ""))
	case "output":
		r.output[key] = append(r.output[key], e.Output)
	case "pass", "fail", "skip":
		if e.Test == "" {
			r.packageDone(e, label)
			return
		}
		switch e.Action {
		case "pass":
			r.passed++
		case "skip":
			r.skipped++
		case "fail":
			r.failed++
			r.failures = append(r.failures, e.Package+" "+e.Test)
			fmt.Fprint(r.out, strings.Join(r.output[key], ""))
		}
		if !strings.Contains(e.Test, "/") {
			name := e.Package + " " + e.Test
			if label != "" {
				name += " (" + label + ")"
			}
			r.timings = append(r.timings, timing{name, e.Elapsed})
		}
		delete(r.output, key)
	}
}

// packageDone prints a package's result line as go test does.
func (r *report) packageDone(e event, label string) {
	key := e.Package + " "
	suffix := ""
	if label != "" {
		suffix = " (" + label + ")"
	}
	switch e.Action {
	case "pass":
		fmt.Fprintf(r.out, "ok  \t%s\t%.3fs%s\n", e.Package, e.Elapsed, suffix)
	case "skip":
		fmt.Fprintf(r.out, "?   \t%s\t[no test files]\n", e.Package)
	case "fail":
		// Output outside any test: a panic, TestMain, a timeout; less
		// go test's own closing lines, which follow here once.
		for _, l := range r.output[key] {
			if l != "FAIL\n" && l != "PASS\n" && !strings.HasPrefix(l, "FAIL\t") && !strings.HasPrefix(l, "ok  \t") {
				fmt.Fprint(r.out, l)
			}
		}
		fmt.Fprintf(r.out, "FAIL\t%s\t%.3fs%s\n", e.Package, e.Elapsed, suffix)
		r.packagesFailed++
	}
	delete(r.output, key)
}

// summary prints the slowest tests, the failures and the closing lines, and
// reports whether everything passed.
func (r *report) summary(n int, took time.Duration) bool {
	slices.SortStableFunc(r.timings, func(a, b timing) int {
		switch {
		case a.elapsed > b.elapsed:
			return -1
		case a.elapsed < b.elapsed:
			return 1
		}
		return 0
	})
	if len(r.timings) > 0 {
		fmt.Fprintf(r.out, "\nslowest tests:\n")
		for _, t := range r.timings[:min(n, len(r.timings))] {
			fmt.Fprintf(r.out, "%9.2fs  %s\n", t.elapsed, t.name)
		}
	}
	ok := r.failed == 0 && r.packagesFailed == 0
	if !ok {
		fmt.Fprintf(r.out, "\nfailed:\n")
		for _, f := range r.failures {
			fmt.Fprintf(r.out, "  %s\n", f)
		}
		fmt.Fprintf(r.out, "  %d packages failed or did not build\n", r.packagesFailed)
		fmt.Fprintln(r.out, "FAIL")
	} else {
		fmt.Fprintf(r.out, "\nall tests passed in %s\n", took.Round(time.Second))
	}
	fmt.Fprintf(r.out, "%d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	return ok
}
