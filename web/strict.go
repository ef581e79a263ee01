package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// StrictQuery is a Huma operation middleware that refuses, with a 422
// naming each parameter, what the schema validation would let through:
//
//   - query parameters the operation does not declare (a typo such as
//     limt=5 would otherwise be ignored silently);
//   - repeats of a parameter that takes one value (limit=5&limit=abc);
//   - non-finite numbers (Inf, -Infinity, NaN, 1e999) for number parameters.
//
// It reads the operation's declared parameters from its OpenAPI metadata,
// so a new operation is covered without a line of its own. An operation
// whose parameters are open-ended (OGC API Features filters on any
// queryable, and the standard wants a 400) says so with OwnQueryCheck and
// checks its query itself.
func StrictQuery(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		u := ctx.URL()
		if u.RawQuery == "" || op.Metadata["OwnQueryCheck"] == true {
			next(ctx)
			return
		}
		declared := map[string]*huma.Param{}
		var names []string
		for _, p := range op.Parameters {
			if p.In == "query" {
				declared[p.Name] = p
				names = append(names, p.Name)
			}
		}
		slices.Sort(names)
		takes := "this operation takes no query parameters"
		if len(names) > 0 {
			takes = "this operation takes " + strings.Join(names, ", ")
		}
		var errs []error
		query := u.Query()
		keys := make([]string, 0, len(query))
		for k := range query {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			values := query[k]
			p := declared[k]
			switch {
			case p == nil:
				errs = append(errs, &huma.ErrorDetail{Location: "query." + k, Value: strings.Join(values, ","),
					Message: "unknown query parameter " + strconv.Quote(k) + "; " + takes})
			case len(values) > 1 && (p.Schema == nil || p.Schema.Type != huma.TypeArray):
				errs = append(errs, &huma.ErrorDetail{Location: "query." + k, Value: strings.Join(values, ","),
					Message: k + " takes one value, and it was given " + strconv.Itoa(len(values)) + "; keep one"})
			case p.Schema != nil && p.Schema.Type == huma.TypeNumber:
				for _, v := range values {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); (err == nil || isRange(err)) &&
						(math.IsInf(f, 0) || math.IsNaN(f)) {
						errs = append(errs, &huma.ErrorDetail{Location: "query." + k, Value: v,
							Message: k + " must be a finite number, such as " + example(p)})
					}
				}
			}
		}
		if len(errs) > 0 {
			_ = huma.WriteErr(api, ctx, http.StatusUnprocessableEntity, "query parameters this operation does not take, or cannot take as given", errs...)
			return
		}
		next(ctx)
	}
}

// OwnQueryCheck is the Metadata of an operation that checks its own query
// parameters (see StrictQuery).
var OwnQueryCheck = map[string]any{"OwnQueryCheck": true}

func isRange(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}

// example is a finite value to suggest for p.
func example(p *huma.Param) string {
	switch {
	case p.Schema.Default != nil:
		return fmt.Sprint(p.Schema.Default)
	case p.Schema.Minimum != nil:
		return strconv.FormatFloat(*p.Schema.Minimum, 'f', -1, 64)
	}
	return "1000"
}
