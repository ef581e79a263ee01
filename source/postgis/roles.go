package postgis

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrNotReadOnly is returned by CheckReadOnly when the role could write or
// could read private data.
var ErrNotReadOnly = errors.New("the database role is not read-only")

const qPrivileges = `
	SELECT
		r.rolsuper,
		r.rolbypassrls,
		has_schema_privilege('private', 'USAGE'),
		has_schema_privilege('public_data', 'CREATE'),
		coalesce((SELECT array_agg(c.relname ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public_data' AND c.relkind IN ('r', 'p')
			AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE')
				OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))), '{}'),
		coalesce((SELECT array_agg(c.relname ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'private' AND c.relkind IN ('r', 'p', 'v', 'm') AND has_table_privilege(c.oid, 'SELECT')), '{}')
	FROM pg_roles r WHERE r.rolname = current_user`

// CheckReadOnly refuses a role that could change public data or read
// private data: the API's role must be able to do neither, so that no bug
// in the service can write to the system of record or leak microdata.
func CheckReadOnly(ctx context.Context, q Querier) error {
	var super, bypass, privateUsage, create bool
	var writable, private []string
	if err := q.QueryRow(ctx, qPrivileges).Scan(&super, &bypass, &privateUsage, &create, &writable, &private); err != nil {
		return fmt.Errorf("checking the role's privileges: %w", err)
	}
	var why []string
	if super {
		why = append(why, "it is a superuser")
	}
	if bypass {
		why = append(why, "it bypasses row-level security")
	}
	if create {
		why = append(why, "it can create objects in public_data")
	}
	if len(writable) > 0 {
		why = append(why, "it can write to public_data."+strings.Join(writable, ", public_data."))
	}
	if privateUsage || len(private) > 0 {
		why = append(why, "it can read the private schema")
	}
	if len(why) > 0 {
		return fmt.Errorf("%w: %s; serve with a role that is a member of shanyu_reader only (see README)", ErrNotReadOnly, strings.Join(why, "; "))
	}
	return nil
}
