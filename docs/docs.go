// Package docs holds shanyu's reference pages, written in Markdown in this
// folder (they read as they are on a code host), and renders them to HTML
// for /docs/{name}: embedded in the binary, offline, same-origin.
package docs

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

//go:embed *.md
var files embed.FS

// Page is one reference page.
type Page struct {
	// Name is the file's name without .md; the page is served at /docs/Name.
	Name string
	// Title is the text of the page's first heading.
	Title string
	// Summary is the text of the page's first paragraph.
	Summary string
	// HTML is the rendered page.
	HTML template.HTML
}

// Files returns the Markdown sources.
func Files() fs.FS { return files }

var (
	once  sync.Once
	pages []Page
	err   error
)

// Pages returns every page, rendered, in order of name.
func Pages() ([]Page, error) {
	once.Do(func() { pages, err = renderAll() })
	return pages, err
}

// Find returns the page called name.
func Find(name string) (Page, bool) {
	all, _ := Pages()
	for _, p := range all {
		if p.Name == name {
			return p, true
		}
	}
	return Page{}, false
}

func renderAll() ([]Page, error) {
	names, err := fs.Glob(files, "*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Page
	for _, n := range names {
		src, err := fs.ReadFile(files, n)
		if err != nil {
			return nil, err
		}
		p, err := Render(src)
		if err != nil {
			return nil, err
		}
		p.Name = strings.TrimSuffix(n, ".md")
		out = append(out, p)
	}
	return out, nil
}

var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
)

// Render turns a page's Markdown into HTML. Raw HTML in the source is left
// out; links to sibling pages (name.md) become /docs/name and a link to the
// project's LICENSE becomes /docs/licence.
func Render(src []byte) (Page, error) {
	doc := md.Parser().Parse(text.NewReader(src))
	var p Page
	var autolinks []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if p.Title == "" {
				p.Title = plain(n, src)
			}
		case *ast.Paragraph:
			if p.Summary == "" && n.Parent() == doc {
				p.Summary = plain(n, src)
			}
		case *ast.Link:
			n.Destination = []byte(Link(string(n.Destination)))
		case *ast.AutoLink:
			autolinks = append(autolinks, n)
		}
		return ast.WalkContinue, nil
	})
	// An autolink (<http://…>) keeps its text and gets the served address.
	for _, a := range autolinks {
		url := string(a.URL(src))
		if dest := Link(url); dest != url {
			l := ast.NewLink()
			l.Destination = []byte(dest)
			l.AppendChild(l, ast.NewString(a.Label(src)))
			a.Parent().ReplaceChild(a.Parent(), a, l)
		}
	}
	var b bytes.Buffer
	if err := md.Renderer().Render(&b, src, doc); err != nil {
		return Page{}, err
	}
	p.HTML = template.HTML(b.String())
	return p, nil
}

// Link maps a link as written in a page (relative to docs/ in the project)
// to where it is served.
func Link(dest string) string {
	// The pages show the service where `make run` serves it; served, they
	// link to the service that serves them.
	if rest, ok := strings.CutPrefix(dest, "http://127.0.0.1:8080/"); ok {
		return "/" + rest
	}
	if strings.Contains(dest, "://") || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "#") {
		return dest
	}
	target, frag, _ := strings.Cut(dest, "#")
	if frag != "" {
		frag = "#" + frag
	}
	clean := path.Clean(target)
	switch {
	case clean == "../LICENSE":
		return "/docs/licence" + frag
	case clean == "../README.md":
		return "/docs/pages" + frag
	case strings.HasSuffix(clean, ".md") && !strings.Contains(clean, "/"):
		return "/docs/" + strings.TrimSuffix(clean, ".md") + frag
	}
	return dest
}

// plain is the text of a node's inline content.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(src))
				if t.SoftLineBreak() {
					b.WriteByte(' ')
				}
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
