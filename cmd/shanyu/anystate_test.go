package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"shanyu/api"
	"shanyu/internal/pgtest"
	"shanyu/source/postgis"
)

// getRequests lists one request per GET operation of the OpenAPI document
// with only its required parameters (their examples), then one more per
// optional parameter value the document names (each enum value, default and
// example), so every documented way in is tried. {id} and {code} take ids.
func getRequests(t *testing.T, id, code string) []string {
	t.Helper()
	doc := api.OpenAPI()
	var paths []string
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	example := func(s *huma.Schema) []string {
		if s == nil {
			return nil
		}
		var out []string
		add := func(v any) {
			if v != nil {
				out = append(out, fmt.Sprint(v))
			}
		}
		for _, e := range s.Enum {
			add(e)
		}
		add(s.Default)
		for _, e := range s.Examples {
			add(e)
		}
		return out
	}
	var reqs []string
	for _, p := range paths {
		op := doc.Paths[p].Get
		if op == nil {
			continue
		}
		path := strings.NewReplacer("{id}", url.PathEscape(id), "{code}", code).Replace(p)
		base := url.Values{}
		for _, prm := range op.Parameters {
			if prm.In == "query" && prm.Required {
				ex := example(prm.Schema)
				if len(ex) == 0 {
					t.Fatalf("%s: required parameter %s has no example", p, prm.Name)
				}
				base.Set(prm.Name, ex[len(ex)-1])
			}
		}
		reqs = append(reqs, path+"?"+base.Encode())
		for _, prm := range op.Parameters {
			if prm.In != "query" || prm.Required {
				continue
			}
			for _, v := range example(prm.Schema) {
				q := url.Values{}
				for k, vs := range base {
					q[k] = vs
				}
				q.Set(prm.Name, v)
				reqs = append(reqs, path+"?"+q.Encode())
			}
		}
	}
	return reqs
}

// TestNo5xxInAnyDatabaseState serves a database in each state a county's
// office may leave it in — empty, facilities and regions imported file by
// file without a description, and no population — and calls every GET
// operation of the OpenAPI document: none answers 5xx.
func TestNo5xxInAnyDatabaseState(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "", "export", dir)
	imp := func(db, kind, file string) {
		mustRun(t, db, "import", "--kind", kind, filepath.Join(dir, file))
	}
	states := []struct {
		name  string
		setup func(db string)
	}{
		{"empty", func(string) {}},
		{"facilities without a description", func(db string) {
			imp(db, "regions", "regions.geojson")
			imp(db, "population", "population.csv")
			imp(db, "childcare", "childcare.csv")
			imp(db, "nursing_room", "nursing_rooms.csv")
			imp(db, "paediatricians", "paediatricians.csv")
		}},
		{"no population", func(db string) {
			imp(db, "regions", "regions.geojson")
			imp(db, "childcare", "childcare.csv")
			imp(db, "nursing_room", "nursing_rooms.csv")
		}},
		{"regions only", func(db string) {
			imp(db, "regions", "regions.geojson")
		}},
	}
	for _, st := range states {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			db := pgtest.DB(t)
			st.setup(db)
			pool, err := pgxpool.New(ctx, pgtest.ReaderURL(t, db))
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			snap, err := postgis.LoadSnapshot(ctx, pool)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			srv := api.NewServer(snap, slog.New(slog.NewTextHandler(io.Discard, nil)))
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()

			id, code := "none", "331126"
			if c := snap.Meta.CountyCode; c != "" {
				code = c
			}
			_ = pool.QueryRow(ctx, `SELECT id FROM public_data.childcare ORDER BY id LIMIT 1`).Scan(&id)
			reqs := getRequests(t, id, code)
			if len(reqs) < 40 {
				t.Fatalf("only %d requests: the document lost its operations?", len(reqs))
			}
			for _, r := range reqs {
				res, err := http.Get(ts.URL + r)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode >= 500 {
					t.Errorf("GET %s: %d %s", r, res.StatusCode, b)
				}
				if lm := res.Header.Get("Last-Modified"); strings.Contains(lm, " 0001 ") {
					t.Errorf("GET %s: Last-Modified %s", r, lm)
				}
			}
			// No policy: the API says so rather than measure against another county's.
			for path, want := range map[string]int{"/api/v1/policy": 404, "/api/v1/coverage": 409, "/api/v1/scorecard": 409} {
				res, err := http.Get(ts.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != want || !strings.Contains(string(b), "carries no policy") {
					t.Errorf("GET %s without a policy: %d %s", path, res.StatusCode, b)
				}
			}
			var ds struct {
				Described bool   `json:"described"`
				Notice    string `json:"notice"`
			}
			res, err := http.Get(ts.URL + "/api/v1/dataset")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			_ = json.NewDecoder(res.Body).Decode(&ds)
			if ds.Described || !strings.Contains(ds.Notice, "not described yet") {
				t.Errorf("an undescribed dataset says described=%v, notice %q", ds.Described, ds.Notice)
			}
		})
	}
}

// TestDescribe sets a county office's description with flags: an incomplete
// one is refused with what is missing, a county code that is not a county
// of the regions is refused, and a full one is served with generated_at from
// the import.
func TestDescribe(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	dir := t.TempDir()
	mustRun(t, "", "export", dir)
	mustRun(t, db, "import", "--kind", "regions", filepath.Join(dir, "regions.geojson"))

	out, err := run(t, db, "describe", "--title-zh", "某县生育支持设施")
	if err == nil || !strings.Contains(out, "the publisher (--publisher)") || !strings.Contains(out, "--reference-date") {
		t.Errorf("an incomplete description: %v %s", err, out)
	}
	args := []string{"describe", "--title-zh", "庆元县生育支持设施", "--title", "Qingyuan fertility-support facilities",
		"--publisher", "庆元县卫生健康局", "--contact", "0578-0000000", "--licence", "CC-BY-4.0",
		"--reference-date", "2025-12-31", "--source", "庆元县卫生健康局|托育机构|CC-BY-4.0"}
	if out, err := run(t, db, append(args, "--county-code", "331181")...); err == nil || !strings.Contains(out, "not a county of the imported regions (331126)") {
		t.Errorf("a foreign county code: %v %s", err, out)
	}
	// --from reads a description in the form of a bundle's dataset.json; a
	// flag given as well wins.
	from := filepath.Join(dir, "description.json")
	if err := os.WriteFile(from, []byte(`{"title_zh": "旧标题", "publisher": "某局", "licence": "CC0-1.0",
		"reference_date": "2024-12-31", "county_code": "331126"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, db, "describe", "--from", from, "--title-zh", "新标题"); !strings.Contains(out, "described 331126: 新标题, CC0-1.0, reference date 2024-12-31") {
		t.Errorf("describe --from said %q", out)
	}
	mustRun(t, db, append(args, "--county-code", "331126")...)

	pool, err := pgxpool.New(ctx, pgtest.ReaderURL(t, db))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	snap, err := postgis.LoadSnapshot(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.NewServer(snap, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	defer ts.Close()
	res, err := http.Get(ts.URL + "/api/v1/dataset")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var ds struct {
		Described     bool   `json:"described"`
		Publisher     string `json:"publisher"`
		Licence       string `json:"licence"`
		ReferenceDate string `json:"reference_date"`
		GeneratedAt   string `json:"generated_at"`
		Notice        string `json:"notice"`
		Sources       []struct{ Name string }
	}
	_ = json.NewDecoder(res.Body).Decode(&ds)
	if !ds.Described || ds.Publisher != "庆元县卫生健康局" || ds.Licence != "CC-BY-4.0" || ds.ReferenceDate != "2025-12-31" ||
		len(ds.Sources) != 1 || strings.Contains(ds.Notice, "not described") {
		t.Errorf("served description: %+v", ds)
	}
	if !strings.HasPrefix(ds.GeneratedAt, time.Now().UTC().Format("2006-01-02")) {
		t.Errorf("generated_at %q is not the import's day", ds.GeneratedAt)
	}
	if lm := res.Header.Get("Last-Modified"); lm == "" || strings.Contains(lm, " 0001 ") {
		t.Errorf("Last-Modified %q", lm)
	}
}

// TestTemplateCommand writes a template through the command and refuses an
// unknown kind or format as a usage error.
func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "托育机构.xlsx")
	if got := mustRun(t, "", "template", "--kind", "childcare", "--format", "xlsx", "--out", out); !strings.Contains(got, "shanyu import --kind childcare") {
		t.Errorf("template said %q", got)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("no workbook written: %v", err)
	}
	for _, args := range [][]string{{"template", "--kind", "schools"}, {"template", "--kind", "childcare", "--format", "pdf"}} {
		cmd := exec.Command(binary, args...)
		b, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("shanyu %v: %v, want exit status 2\n%s", args, err, b)
		}
	}
}
