package imports

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"

	"shanyu/source/table"
)

// Column is one field a kind of file may carry, with the header names it
// goes by.
type Column struct {
	Name     string
	Aliases  []string // other header names, Chinese first
	Required bool
	Field    *table.Field
}

// Spec lists the columns of one kind of import.
type Spec struct {
	Kind    string
	Table   *table.Kind
	Columns []Column
	byName  map[string]string
}

// Canonical returns the column a header cell names, or "". Matching ignores
// case, spaces, and the full-width brackets and units that spreadsheets add.
func (s *Spec) Canonical(cell string) string {
	if s.byName == nil {
		s.byName = map[string]string{}
		for _, c := range s.Columns {
			s.byName[headerKey(c.Name)] = c.Name
			for _, a := range c.Aliases {
				s.byName[headerKey(a)] = c.Name
			}
		}
	}
	k := headerKey(cell)
	if c, ok := s.byName[k]; ok {
		return c
	}
	// A template's header: the Chinese name with the English one in
	// brackets, 机构编号(id).
	if m := bilingual.FindStringSubmatch(k); m != nil {
		if c, ok := s.byName[m[2]]; ok {
			return c
		}
		return s.byName[m[1]]
	}
	return ""
}

var bilingual = regexp.MustCompile(`^(.+?)\(([^()]+)\)$`)

// index returns the position of the column called name, or -1.
func (s *Spec) index(name string) int {
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(norm.NFKC.String(strings.TrimPrefix(h, "\uFEFF"))))
	r := strings.NewReplacer(" ", "", "　", "", "（", "(", "）", ")", "_", "", "-", "")
	return r.Replace(h)
}

// Specs are the kinds shanyu imports, with the header names of each column
// taken from the table descriptors (source/table).
var Specs = func() map[string]*Spec {
	out := map[string]*Spec{}
	for _, k := range table.Kinds {
		sp := &Spec{Kind: k.Name, Table: k}
		for i := range k.Fields {
			f := &k.Fields[i]
			sp.Columns = append(sp.Columns, Column{Name: f.Name, Aliases: append([]string{f.Zh}, f.Aliases...),
				Required: f.Required, Field: f})
		}
		out[k.Name] = sp
	}
	return out
}()

// Kinds lists the import kinds in the order a county loads them.
var Kinds = table.Order
