package main

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"shanyu/api"
	"shanyu/source/postgis"
)

// versionLister reads the versions published from the database's import
// log, for GET /api/v1/dataset/versions.
func versionLister(dbURL string) api.VersionLister {
	return func(ctx context.Context) ([]api.DatasetVersion, error) {
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			return nil, err
		}
		defer conn.Close(context.Background())
		vs, err := postgis.Versions(ctx, conn)
		if err != nil {
			return nil, err
		}
		out := make([]api.DatasetVersion, len(vs))
		for i, v := range vs {
			out[i] = api.DatasetVersion{Version: v.Version, PublishedAt: v.PublishedAt.UTC().Format(time.RFC3339),
				Import: v.Kind + " " + v.Source, Counts: v.Counts}
		}
		return out, nil
	}
}
