package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"shanyu/internal/pgtest"
)

// run runs the shanyu binary with DATABASE_URL set and returns its output.
func run(t *testing.T, dbURL string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustRun(t *testing.T, dbURL string, args ...string) string {
	t.Helper()
	out, err := run(t, dbURL, args...)
	if err != nil {
		t.Fatalf("shanyu %v: %v\n%s", args, err, out)
	}
	return out
}

type service struct {
	base string
	cmd  *exec.Cmd
	logs *syncBuffer
}

// syncBuffer collects a child process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `shanyu serve` against dbURL and waits for /healthz.
func startServe(t *testing.T, dbURL string) *service {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(binary, "serve", "--port", fmt.Sprint(port), "--log-format", "text")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	logs := &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &service{base: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, logs: logs}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if !pgtest.Wait(10*time.Second, func() bool { _, err := http.Get(s.base + "/healthz"); return err == nil }) {
		t.Fatalf("serve did not start:\n%s", logs.String())
	}
	return s
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if v != nil {
		_ = json.Unmarshal(b, v)
	}
	return res.StatusCode
}

type ready struct {
	Status, Version, Reason, Detail string
}

// TestServeFromPostGIS walks the README's PostGIS path: migrate, import the
// sample, serve with a read-only role, re-import while requests run (every
// request answers, none mixes versions, the new version is served within two
// seconds), lose the database (degraded, still serving) and get it back.
func TestServeFromPostGIS(t *testing.T) {
	ctx := context.Background()
	db := pgtest.EmptyDB(t)
	if out := mustRun(t, db, "migrate", "up"); !strings.Contains(out, "schema at version 5") {
		t.Fatalf("migrate up: %s", out)
	} else {
		docsShow(t, "migrate up", out)
	}
	if out := mustRun(t, db, "migrate", "status"); !strings.Contains(out, "applied") {
		t.Fatalf("migrate status: %s", out)
	}
	out := mustRun(t, db, "import-bundle", "--sample")
	if !strings.Contains(out, "imported sample") {
		t.Fatalf("import-bundle: %s", out)
	}
	docsShow(t, "import-bundle --sample", out)
	reader := pgtest.ReaderURL(t, db)
	s := startServe(t, reader)
	var r ready
	if !pgtest.Wait(10*time.Second, func() bool { return getJSON(t, s.base+"/readyz", &r) == 200 && r.Status == "ready" }) {
		t.Fatalf("not ready: %+v\n%s", r, s.logs.String())
	}
	first := r.Version

	// A changed bundle: export, rename one centre, import it back.
	dir := t.TempDir()
	mustRun(t, "", "export", dir)
	cc, _ := os.ReadFile(filepath.Join(dir, "childcare.csv"))
	if err := os.WriteFile(filepath.Join(dir, "childcare.csv"), []byte(strings.Replace(string(cc), "彩虹托育园（新建社区）", "彩虹托育园（新建社区）新址", 1)), 0o644); err != nil {
		t.Fatal(err)
	}

	// Requests in a loop while the import commits.
	var failures, served atomic.Int32
	versions := sync.Map{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := http.Get(s.base + "/api/v1/facilities/CC0001")
				if err != nil {
					failures.Add(1)
					continue
				}
				var body struct {
					Dataset  struct{ Version string }
					Facility struct {
						NameZh string `json:"name_zh"`
					}
				}
				_ = json.NewDecoder(res.Body).Decode(&body)
				res.Body.Close()
				etag := res.Header.Get("ETag")
				// One version per answer: the ETag, the dataset block and the content agree.
				renamed := strings.HasSuffix(body.Facility.NameZh, "新址")
				if res.StatusCode != 200 || !strings.HasPrefix(etag, `"`+body.Dataset.Version) || (body.Dataset.Version == first) == renamed {
					failures.Add(1)
				}
				versions.Store(body.Dataset.Version, true)
				served.Add(1)
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	mustRun(t, db, "import-bundle", dir)
	committed := time.Now()
	var second string
	ok := pgtest.Wait(2*time.Second, func() bool {
		getJSON(t, s.base+"/readyz", &r)
		second = r.Version
		return second != first
	})
	took := time.Since(committed)
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if !ok {
		t.Fatalf("the new version was not served within 2 s of the import\n%s", s.logs.String())
	}
	if failures.Load() > 0 || served.Load() < 10 {
		t.Errorf("%d of %d requests failed or mixed versions during the reload", failures.Load(), served.Load())
	}
	t.Logf("new version served %v after the import; %d requests during it", took, served.Load())

	// Both versions are published, from the import log, oldest first.
	var vs struct {
		Current  string
		Versions []struct{ Version, Import string }
	}
	if getJSON(t, s.base+"/api/v1/dataset/versions", &vs); vs.Current != second || len(vs.Versions) != 2 ||
		vs.Versions[0].Version != first || vs.Versions[1].Version != second || !strings.HasPrefix(vs.Versions[1].Import, "bundle ") {
		t.Errorf("versions after two imports: %+v (first %s, second %s)", vs, first, second)
	}

	// Lose the database: the API's role may no longer log in and its
	// connections are cut. The service keeps serving and says degraded.
	admin, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	exec := func(q string) {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`ALTER ROLE shanyu_test_api NOLOGIN`)
	defer func() { _, _ = admin.Exec(ctx, `ALTER ROLE shanyu_test_api LOGIN`) }()
	exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'shanyu_test_api'`)
	if !pgtest.Wait(5*time.Second, func() bool { getJSON(t, s.base+"/readyz", &r); return r.Status == "degraded" }) {
		t.Fatalf("readyz = %+v, want degraded", r)
	}
	if r.Reason == "" || r.Version != second {
		t.Errorf("degraded readyz = %+v: want a reason and the last version", r)
	}
	if code := getJSON(t, s.base+"/api/v1/facilities?near=119.06,27.62&limit=3", nil); code != 200 {
		t.Errorf("facilities while degraded = %d, want 200 from the last snapshot", code)
	}
	exec(`ALTER ROLE shanyu_test_api LOGIN`)
	if !pgtest.Wait(35*time.Second, func() bool { getJSON(t, s.base+"/readyz", &r); return r.Status == "ready" }) {
		t.Errorf("readyz = %+v after the database came back, want ready", r)
	}
}

// TestServeRefusesWriters: serve will not run with a role that can write
// or read private data.
func TestServeRefusesWriters(t *testing.T) {
	db := pgtest.DB(t)
	for name, u := range map[string]string{"writer": pgtest.WriterURL(t, db), "private reader": pgtest.PrivateReaderURL(t, db)} {
		cmd := exec.Command(binary, "serve", "--port", fmt.Sprint(freePort(t)))
		cmd.Env = append(os.Environ(), "DATABASE_URL="+u)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "not read-only") {
			t.Errorf("%s: serve ran or said %q; want a refusal", name, out)
		}
	}
}

// TestServeWaitsForDatabase: started with the database down, serve stays up,
// answers 503 on /readyz with the reason, and keeps retrying.
func TestServeWaitsForDatabase(t *testing.T) {
	down := fmt.Sprintf("postgres://nobody@127.0.0.1:%d/none?sslmode=disable&connect_timeout=1", freePort(t))
	s := startServe(t, down)
	var r ready
	code := getJSON(t, s.base+"/readyz", &r)
	if code != 503 || !strings.Contains(r.Detail, "unreachable") {
		t.Errorf("readyz = %d %+v, want 503 saying the database is unreachable", code, r)
	}
	if !pgtest.Wait(3*time.Second, func() bool { return strings.Contains(s.logs.String(), "retry") }) {
		t.Errorf("no retry in the logs:\n%s", s.logs.String())
	}
	if s.cmd.ProcessState != nil {
		t.Error("serve exited instead of waiting")
	}
}

// docsShow checks that docs/postgis.md shows what `shanyu command` printed,
// as the comment after the command.
func docsShow(t *testing.T, command, out string) {
	t.Helper()
	b, err := os.ReadFile("../../docs/postgis.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		cmd, comment, ok := strings.Cut(l, "#")
		if ok && strings.HasSuffix(strings.TrimSpace(cmd), "cmd/shanyu "+command) {
			if want := strings.TrimSpace(comment); want != strings.TrimSpace(out) {
				t.Errorf("docs/postgis.md shows %q after %s; it prints %q", want, command, strings.TrimSpace(out))
			}
			return
		}
	}
	t.Errorf("docs/postgis.md does not show %s", command)
}

// TestPublishKeepsThePublicReleaseFrozen walks the publishing path on the
// sample: import the bundle (with its release), load the microdata,
// publish. The release already public stays frozen, so the new one is the
// same figures, and publish reports the loss against it.
func TestPublishKeepsThePublicReleaseFrozen(t *testing.T) {
	db := pgtest.EmptyDB(t)
	mustRun(t, db, "migrate", "up")
	mustRun(t, db, "import-bundle", "--sample")
	conn, err := pgx.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var before string
	if err := conn.QueryRow(context.Background(), `SELECT audit_id FROM public_data.publication`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, db, "load-sample-microdata"); !strings.Contains(out, "births") {
		t.Fatalf("load-sample-microdata: %s", out)
	}
	out := mustRun(t, db, "publish")
	if !strings.Contains(out, "published release "+before) || !strings.Contains(out, "figures hidden") ||
		!strings.Contains(out, "the release it replaces (shanyu-sdc-2)") {
		t.Fatalf("publish: %s (the bundled release is %s)", out, before)
	}
	// A stricter threshold cannot hide what is already public: nothing is
	// published, and the release stays.
	if out, err := run(t, db, "publish", "--t", "8"); err == nil || !strings.Contains(out, "nothing published") {
		t.Errorf("publish with a threshold that the frozen figures break: %v\n%s", err, out)
	}
	var after string
	if err := conn.QueryRow(context.Background(), `SELECT audit_id FROM public_data.publication`).Scan(&after); err != nil || after != before {
		t.Errorf("the public release is now %s (%v), want %s", after, err, before)
	}
}
