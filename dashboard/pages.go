package dashboard

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"shanyu"
	"shanyu/docs"
)

// pageTemplate lays out a reference page: the bar, the list of pages and
// the page itself. It loads only same-origin files.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · shanyu docs</title>
<link rel="stylesheet" href="/style.css">
<link rel="stylesheet" href="/docs-pages.css">
</head>
<body class="docs-page">
<header class="bar">
  <a class="brand" href="/">善育 shanyu</a>
  <span>docs · <a href="/docs">API explorer</a> · <a href="/docs/pages">all pages</a> · <a href="/docs/licence">licence</a></span>
</header>
<div class="docs-layout">
<nav class="docs-nav" aria-label="pages">
<ul>{{range .Pages}}
<li{{if eq .Name $.Name}} aria-current="page"{{end}}><a href="/docs/{{.Name}}">{{.Title}}</a></li>{{end}}
</ul>
</nav>
<article class="docs-article">
{{.Body}}
</article>
</div>
</body>
</html>
`))

type pageData struct {
	Name, Title string
	Body        template.HTML
	Pages       []docs.Page
}

// servePage answers /docs/{name}: a Markdown page of docs/, the list of
// pages (/docs/pages) or the licence (/docs/licence).
func servePage(w http.ResponseWriter, r *http.Request, name string) {
	all, err := docs.Pages()
	if err != nil {
		http.Error(w, "the docs did not render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	d := pageData{Name: name, Pages: all}
	switch name {
	case "pages":
		d.Title = "Pages"
		var b strings.Builder
		b.WriteString("<h1>shanyu reference</h1>\n<p>The API explorer (<a href=\"/docs\">/docs</a>) lists every operation with its parameters; " +
			"these pages explain them. Their Markdown is in <code>docs/</code> in the project.</p>\n<dl>\n")
		for _, p := range all {
			b.WriteString("<dt><a href=\"/docs/" + template.HTMLEscapeString(p.Name) + "\">" + template.HTMLEscapeString(p.Title) + "</a></dt>\n<dd>" +
				template.HTMLEscapeString(firstSentence(p.Summary)) + "</dd>\n")
		}
		b.WriteString("</dl>\n<p>The code is under the Apache License 2.0 (<a href=\"/docs/licence\">licence</a>); " +
			"the data carry their own licences, named in <a href=\"/api/v1/dataset\">/api/v1/dataset</a>.</p>\n")
		d.Body = template.HTML(b.String())
	case "licence", "license":
		d.Name, d.Title = "licence", "Licence"
		d.Body = template.HTML("<h1>Licence</h1>\n<p>shanyu's code is under the Apache License 2.0 (SPDX <code>Apache-2.0</code>), " +
			"the <code>LICENSE</code> file of the project, reproduced below. It covers the code only: the data carry their own " +
			"licences, named in <code>licence</code> and <code>sources</code> of <a href=\"/api/v1/dataset\">/api/v1/dataset</a>.</p>\n<pre>" +
			template.HTMLEscapeString(shanyu.License) + "</pre>\n")
	default:
		p, ok := docs.Find(name)
		if !ok {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("no docs page named " + name + "; the pages are listed at /docs/pages\n"))
			return
		}
		d.Title, d.Body = p.Title, p.HTML
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// firstSentence shortens a page's first paragraph for the list of pages.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}
