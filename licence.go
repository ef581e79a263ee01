// Package shanyu holds what belongs to the project as a whole rather than
// to one of its packages: the text of its licence.
package shanyu

import _ "embed"

// License is the text of shanyu's licence, the Apache License 2.0 (the
// LICENSE file). It covers the code; the data carry their own licences,
// named in each dataset.
//
//go:embed LICENSE
var License string
