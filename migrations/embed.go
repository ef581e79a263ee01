// Package migrations holds shanyu's PostgreSQL + PostGIS schema as numbered
// tern migrations (NNN_name.sql, up above the "---- create above / drop
// below ----" line, down below it), embedded in the binary. `shanyu migrate`
// applies them.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
