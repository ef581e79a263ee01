package policy

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// The JSON Schema of a policy file, made from the Go types: the committed
// policy.schema.json is this schema (a test checks), and Parse validates
// every file against it before reading it.
var (
	registry = huma.NewMapRegistry("#/$defs/", huma.DefaultSchemaNamer)
	schema   = registry.Schema(reflect.TypeOf(Policy{}), true, "Policy")
)

// SchemaJSON returns the JSON Schema document of a policy file.
func SchemaJSON() ([]byte, error) {
	doc := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         "https://shanyu.example/policy.schema.json",
		"title":       "A county's fertility-support policy as data (shanyu policy.json)",
		"description": "The document's title and date, its clauses, every measurable target and every money rule, each with its clause and unit.",
		"$ref":        schema.Ref,
		"$defs":       registry.Map(),
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// validate checks the decoded JSON v against the schema and lists every
// violation with its path.
func validate(v any) error {
	res := &huma.ValidateResult{}
	huma.Validate(registry, schema, huma.NewPathBuffer(make([]byte, 0, 128), 0), huma.ModeWriteToServer, v, res)
	if len(res.Errors) == 0 {
		return nil
	}
	msgs := make([]string, len(res.Errors))
	for i, e := range res.Errors {
		msgs[i] = e.Error()
		if d, ok := e.(*huma.ErrorDetail); ok {
			where := d.Location
			if where == "" {
				where = "the document"
			}
			msgs[i] = where + ": " + d.Message
		}
	}
	return fmt.Errorf("%w: against policy.schema.json: %s", ErrInvalid, strings.Join(msgs, "; "))
}
