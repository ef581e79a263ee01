package postgis

import (
	"context"
	"encoding/json"
	"time"

	"shanyu/county"
	"shanyu/source/bundle"
)

// Version is a dataset version the database has held: the content hash the
// service serves it under, when the import that made it committed, what
// that import was, and the counts.
type Version struct {
	Version     string
	PublishedAt time.Time
	Kind        string // the import that made it: bundle, childcare, ...
	Source      string // the file it came from
	Counts      county.Counts
}

// versionAfter computes the version and counts an import leaves, from
// inside its transaction, exactly as a service loading the committed data
// will compute them.
func versionAfter(ctx context.Context, q Querier) (string, []byte, error) {
	ds, err := Load(ctx, q)
	if err != nil {
		return "", nil, err
	}
	v, err := bundle.Version(ds)
	if err != nil {
		return "", nil, err
	}
	counts, err := json.Marshal(ds.Counts())
	return v, counts, err
}

// Versions lists the dataset versions the imports made, oldest first. An
// import that changed nothing leaves the version it found and is not listed
// again; a version that comes back after another is listed each time.
func Versions(ctx context.Context, q Querier) ([]Version, error) {
	rows, err := q.Query(ctx, `SELECT version, imported_at, kind, source, counts FROM public_data.import_log
		WHERE version IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var counts []byte
		if err := rows.Scan(&v.Version, &v.PublishedAt, &v.Kind, &v.Source, &counts); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(counts, &v.Counts); err != nil {
			return nil, err
		}
		if len(out) > 0 && out[len(out)-1].Version == v.Version {
			continue
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
