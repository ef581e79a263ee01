package docs_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"shanyu"
	"shanyu/api"
	"shanyu/data/sample"
	"shanyu/docs"
	"shanyu/source/bundle"
	"shanyu/source/imports"
)

// sources are the Markdown files whose examples and links are checked: the
// README and every page of docs/.
func sources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	paths, _ := filepath.Glob("*.md")
	for _, p := range append(paths, "../README.md") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = string(b)
	}
	if len(out) < 3 {
		t.Fatalf("only %d Markdown files found", len(out))
	}
	return out
}

func server(t *testing.T) *httptest.Server {
	t.Helper()
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.NewServer(snap, nil).Handler())
	t.Cleanup(ts.Close)
	return ts
}

// block is a fenced code block.
type block struct {
	lang, text string
	line       int
}

// blocks returns the fenced code blocks of a Markdown text, with whether
// each follows the previous one with nothing but blank lines between.
func blocks(md string) (out []block, adjacent []bool) {
	sc := bufio.NewScanner(strings.NewReader(md))
	in, gap := false, false
	var cur block
	var body []string
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		trimmed := strings.TrimSpace(l)
		switch {
		case !in && strings.HasPrefix(trimmed, "```"):
			in, body = true, nil
			cur = block{lang: strings.TrimPrefix(trimmed, "```"), line: n}
		case in && trimmed == "```":
			in = false
			cur.text = strings.Join(body, "\n")
			adjacent = append(adjacent, len(out) > 0 && !gap)
			out = append(out, cur)
			gap = false
		case in:
			body = append(body, l)
		case trimmed != "":
			gap = true
		}
	}
	return out, adjacent
}

// example is a curl command of the docs and the output shown after it.
type example struct {
	where, command, want string
	hasWant              bool
}

func examples(t *testing.T) []example {
	var out []example
	for name, md := range sources(t) {
		bs, adj := blocks(md)
		for i, b := range bs {
			if b.lang != "sh" {
				continue
			}
			var curls []string
			for _, l := range strings.Split(strings.ReplaceAll(b.text, "\\\n", " "), "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "curl ") {
					curls = append(curls, strings.TrimSpace(l))
				}
			}
			withOutput := i+1 < len(bs) && adj[i+1] && bs[i+1].lang != "sh"
			for j, c := range curls {
				ex := example{where: fmt.Sprintf("%s:%d", name, b.line), command: c}
				if withOutput && j == len(curls)-1 {
					if len(curls) > 1 {
						t.Errorf("%s: an output follows a block of %d curl commands: give each its own block", ex.where, len(curls))
					}
					ex.want, ex.hasWant = bs[i+1].text, true
				}
				out = append(out, ex)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where < out[j].where })
	return out
}

// words splits a shell command line, honouring single quotes.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, has := false, false
	for _, r := range s {
		switch {
		case r == '#' && !quoted && !has:
			return out // a comment
		case r == '\'':
			quoted, has = !quoted, true
		case r == ' ' && !quoted:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}

// do runs a curl command of the docs against base and returns what curl
// would print.
func do(t *testing.T, base, command string) (string, int) {
	t.Helper()
	w := words(command)
	var url string
	include := false
	method, body := http.MethodGet, ""
	headers := http.Header{}
	for i := 1; i < len(w); i++ {
		switch a := w[i]; {
		case a == "-H":
			i++
			k, v, _ := strings.Cut(w[i], ":")
			headers.Add(k, strings.TrimSpace(v))
		case a == "-X":
			i++
			method = w[i]
		case a == "-d" || a == "--data":
			i++
			body = w[i]
			if method == http.MethodGet {
				method = http.MethodPost
			}
		case a == "-o":
			i++
		case strings.HasPrefix(a, "-"):
			include = include || strings.Contains(a, "i")
		case strings.HasPrefix(a, "127.0.0.1:8080"):
			url = base + strings.TrimPrefix(a, "127.0.0.1:8080")
		default:
			t.Fatalf("cannot run %q: unknown word %q", command, a)
		}
	}
	if url == "" {
		t.Fatalf("no 127.0.0.1:8080 URL in %q", command)
	}
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header = headers
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	out := strings.TrimPrefix(string(got), "\ufeff")
	if include {
		var h strings.Builder
		fmt.Fprintf(&h, "HTTP/1.1 %s\n", res.Status)
		keys := make([]string, 0, len(res.Header))
		for k := range res.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&h, "%s: %s\n", k, strings.Join(res.Header[k], ", "))
		}
		out = h.String() + "\n" + out
	}
	return out, res.StatusCode
}

var space = regexp.MustCompile(`\s+`)

// matches reports whether got is want with the parts marked "…" left out:
// the pieces between the marks appear in order, the first at the start and
// the last at the end unless a mark stands there. Whitespace is ignored.
func matches(got, want string) (bool, string) {
	got = space.ReplaceAllString(got, "")
	pieces := strings.Split(space.ReplaceAllString(want, ""), "…")
	at := 0
	for i, p := range pieces {
		if p == "" {
			continue
		}
		if i == len(pieces)-1 && i > 0 {
			// The last piece ends the output, unless a mark follows it.
			if !strings.HasSuffix(got, p) || len(got)-len(p) < at {
				return false, p + " (at the end)"
			}
			break
		}
		k := strings.Index(got[at:], p)
		if k < 0 || (i == 0 && k != 0) {
			return false, p
		}
		at += k + len(p)
		if len(pieces) == 1 && at != len(got) {
			return false, "(the end: the output goes on after " + p + ")"
		}
	}
	return true, ""
}

// TestExamples runs every curl command of the README and the docs against
// the sample county and compares the output shown after it, where there is
// one, with what the service answers: what is left out must be marked "…".
func TestExamples(t *testing.T) {
	ts := server(t)
	exs := examples(t)
	if len(exs) < 15 {
		t.Fatalf("only %d curl examples found", len(exs))
	}
	shown := 0
	for _, ex := range exs {
		got, status := do(t, ts.URL, ex.command)
		if !ex.hasWant {
			if status >= 400 {
				t.Errorf("%s: %s answers %d", ex.where, ex.command, status)
			}
			continue
		}
		shown++
		if ok, missing := matches(got, ex.want); !ok {
			t.Errorf("%s: %s\nthe output shown is not what it answers: no %q where expected\nit answers:\n%s", ex.where, ex.command, missing, got)
		}
	}
	if shown < 10 {
		t.Errorf("only %d examples show their output", shown)
	}
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		got, want string
		ok        bool
	}{
		{`{"a":1,"b":2}`, `{"a":1,"b":2}`, true},
		{`{"a":1,"b":2}`, `{ "a": 1, … }`, true},
		{`{"a":1,"b":2}`, `{"a":1}`, false},       // trimmed without a mark
		{`{"a":1,"b":2}`, `{"b":2…`, false},       // not the start
		{`{"a":1,"b":2}`, `…"b":2,"a":1…`, false}, // out of order
		{`{"a":1,"b":2}`, `…"a":3…`, false},       // wrong value
		{`x,y\n1,2\n3,4`, `x,y\n1,2\n…`, true},
		{`{"a":{"b":1},"c":2}`, `{"a":{…}…}`, true},
		{`{"a":{"b":1},"c":2}x`, `{"a":{…}…}`, false}, // the end differs
		{`{"a":1}`, `{"a":1}…`, true},
	} {
		if ok, _ := matches(c.got, c.want); ok != c.ok {
			t.Errorf("matches(%q, %q) = %v", c.got, c.want, ok)
		}
	}
}

// TestEveryEndpointDocumented: every operation of the OpenAPI document, and
// the service's own endpoints, are in docs/api.md.
func TestEveryEndpointDocumented(t *testing.T) {
	b, err := os.ReadFile("api.md")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	spec, err := api.OpenAPI().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, ops := range doc.Paths {
		for method := range ops {
			n++
			if want := strings.ToUpper(method) + " " + path; !strings.Contains(page, want) {
				t.Errorf("docs/api.md does not document %s", want)
			}
		}
	}
	for _, want := range []string{"GET /metrics", "GET /openapi.json", "GET /openapi.yaml", "GET /docs"} {
		if !strings.Contains(page, want) {
			t.Errorf("docs/api.md does not document %s", want)
		}
	}
	if n < 15 {
		t.Errorf("only %d operations in the OpenAPI document", n)
	}
}

// TestImportHeadersDocumented: docs/import.md has, for each kind, one row
// per column with exactly the aliases the importer accepts.
func TestImportHeadersDocumented(t *testing.T) {
	b, err := os.ReadFile("import.md")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, kind := range imports.Kinds {
		at := strings.Index(page, "`--kind "+kind+"`")
		if at < 0 {
			t.Errorf("docs/import.md has no table for --kind %s", kind)
			continue
		}
		table := page[at:]
		if end := strings.Index(table[1:], "`--kind "); end > 0 {
			table = table[:end+1]
		}
		for _, c := range imports.Specs[kind].Columns {
			req := ""
			if c.Required {
				req = "yes"
			}
			row := fmt.Sprintf("| `%s` | %s | %s |", c.Name, strings.Join(c.Aliases, ", "), req)
			if !strings.Contains(table, row) {
				t.Errorf("--kind %s: docs/import.md lacks the row\n%s", kind, row)
			}
		}
	}
}

var href = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestPagesServed: every page is served at /docs/{name} with the
// same-origin policy, links only to this origin, and every link resolves
// (a page, an API path, an anchor that exists).
func TestPagesServed(t *testing.T) {
	ts := server(t)
	pages, err := docs.Pages()
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 5 {
		t.Fatalf("%d pages", len(pages))
	}
	get := func(path string) (int, string, http.Header) {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	names := []string{"pages", "licence"}
	for _, p := range pages {
		names = append(names, p.Name)
		if p.Title == "" || p.Summary == "" {
			t.Errorf("%s.md has no title or no first paragraph", p.Name)
		}
	}
	for _, name := range names {
		status, body, h := get("/docs/" + name)
		if status != 200 || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("/docs/%s = %d, CSP %q", name, status, h.Get("Content-Security-Policy"))
		}
		for _, m := range href.FindAllStringSubmatch(body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "#") {
				t.Errorf("/docs/%s links to %q: not this origin's path", name, link)
				continue
			}
			path, frag, _ := strings.Cut(link, "#")
			target := body
			if path != "" {
				var st int
				st, target, _ = get(path)
				if st != 200 {
					t.Errorf("/docs/%s links to %s: %d", name, link, st)
					continue
				}
			}
			if frag != "" && !strings.Contains(target, `id="`+frag+`"`) {
				t.Errorf("/docs/%s links to %s: no such anchor", name, link)
			}
		}
	}
	if status, _, _ := get("/docs/nope"); status != 404 {
		t.Errorf("/docs/nope = %d, want 404", status)
	}
}

// TestReadmeLinks: the README's links to files of the project point at
// files that exist.
func TestReadmeLinks(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\]\(([^)#]+)(#[^)]*)?\)`).FindAllStringSubmatch(string(b), -1)
	for _, m := range links {
		if strings.Contains(m[1], "://") || strings.HasPrefix(m[1], "/") {
			continue
		}
		if _, err := os.Stat(filepath.Join("..", m[1])); err != nil {
			t.Errorf("README links to %s: %v", m[1], err)
		}
	}
}

// TestLicence: the code's licence is Apache-2.0, served at /docs/licence,
// named in the OpenAPI document and the dataset apart from the data's own
// licence.
func TestLicence(t *testing.T) {
	if !strings.Contains(shanyu.License, "Apache License") || !strings.Contains(shanyu.License, "Version 2.0, January 2004") {
		t.Fatal("LICENSE is not the Apache License 2.0")
	}
	if api.CodeLicence != "Apache-2.0" {
		t.Errorf("api.CodeLicence = %q", api.CodeLicence)
	}
	ts := server(t)
	res, err := http.Get(ts.URL + "/api/v1/dataset")
	if err != nil {
		t.Fatal(err)
	}
	var d api.Dataset
	_ = json.NewDecoder(res.Body).Decode(&d)
	res.Body.Close()
	if d.CodeLicence != "Apache-2.0" || d.Licence == "" || d.Licence == d.CodeLicence {
		t.Errorf("dataset code_licence %q, licence %q: want the code's Apache-2.0 beside the data's own", d.CodeLicence, d.Licence)
	}
	spec, _ := api.OpenAPI().MarshalJSON()
	if !strings.Contains(string(spec), `"identifier":"Apache-2.0"`) {
		t.Error("the OpenAPI document does not name Apache-2.0")
	}
	res, err = http.Get(ts.URL + "/docs/licence")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION") {
		t.Error("/docs/licence does not show the licence")
	}
	readme, _ := os.ReadFile("../data/sample/bundle/README.md")
	if !strings.Contains(string(readme), "Apache License 2.0") {
		t.Error("the sample bundle's README does not say the code's licence")
	}
}

// TestDefaultsDocumented: every default of the OpenAPI document is in the
// defaults table of docs/api.md, with its value.
func TestDefaultsDocumented(t *testing.T) {
	b, err := os.ReadFile("api.md")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	at := strings.Index(page, "## Defaults")
	if at < 0 {
		t.Fatal("docs/api.md has no defaults table")
	}
	var rows [][]string
	for _, l := range strings.Split(page[at:], "\n")[1:] {
		if strings.HasPrefix(l, "## ") {
			break
		}
		if strings.HasPrefix(l, "| `") {
			cells := strings.Split(strings.Trim(l, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows = append(rows, cells)
		}
	}
	spec, _ := api.OpenAPI().MarshalJSON()
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string `json:"name"`
				Schema struct {
					Default any `json:"default"`
				} `json:"schema"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, ops := range doc.Paths {
		tail := path[strings.LastIndexAny(path, "/."):]
		for _, op := range ops {
			for _, p := range op.Parameters {
				if p.Schema.Default == nil {
					continue
				}
				n++
				found := false
				for _, r := range rows {
					where := strings.ReplaceAll(r[1], "`", "")
					if r[0] == "`"+p.Name+"`" && (strings.Contains(where, path+",") || strings.HasSuffix(where, path) || strings.Contains(where, tail)) &&
						strings.HasPrefix(r[2], fmt.Sprint(p.Schema.Default)) {
						found = true
					}
				}
				if !found {
					t.Errorf("docs/api.md's defaults table lacks %s of %s = %v", p.Name, path, p.Schema.Default)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d defaults in the OpenAPI document", n)
	}
}

// TestReadmeFirstScreen: the README reaches its first command within a
// screen, and that command runs the service, on another port too.
func TestReadmeFirstScreen(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	bs, _ := blocks(string(b))
	if len(bs) == 0 {
		t.Fatal("the README has no command")
	}
	first := bs[0]
	if first.line > 30 {
		t.Errorf("the README's first command is on line %d: more than a screen", first.line)
	}
	for _, want := range []string{"make run", "make run PORT=", "make test"} {
		if !strings.Contains(first.text, want) {
			t.Errorf("the README's first commands lack %q:\n%s", want, first.text)
		}
	}
	for _, want := range []string{"Go 1.26.8", "root or sudo", "Go module", "npm"} {
		if !strings.Contains(string(b[:strings.Index(string(b), "```")]), want) {
			t.Errorf("the README does not say %q before its first command", want)
		}
	}
}
