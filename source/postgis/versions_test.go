package postgis_test

import (
	"context"
	"strings"
	"testing"

	"shanyu/data/sample"
	"shanyu/internal/pgtest"
	"shanyu/source/bundle"
	"shanyu/source/postgis"
)

// TestVersionsFromImportLog: every import logs the version it leaves, the
// one a service loading the data computes; an import that changes nothing
// lists no new version; the read-only role can read the list.
func TestVersionsFromImportLog(t *testing.T) {
	ctx := context.Background()
	url := pgtest.DB(t)
	p := pool(t, url)
	if _, err := postgis.ReplaceAll(ctx, p, sampleDataset(t), "sample", "test"); err != nil {
		t.Fatal(err)
	}
	want, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	vs, err := postgis.Versions(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	c := want.Counts()
	if len(vs) != 1 || vs[0].Version != want.Version || vs[0].Kind != "bundle" || vs[0].PublishedAt.IsZero() ||
		vs[0].Counts.Childcare != c.Childcare || vs[0].Counts.NursingRooms != c.NursingRooms || vs[0].Counts.Villages != c.Villages {
		t.Fatalf("after the bundle: %+v, want version %s with %+v", vs, want.Version, c)
	}

	if _, err := postgis.Import(ctx, p, records(t, p, "childcare", "new.csv", newCentres), postgis.ImportOptions{Source: "new.csv"}); err != nil {
		t.Fatal(err)
	}
	if _, err := postgis.Import(ctx, p, records(t, p, "childcare", "new.csv", newCentres), postgis.ImportOptions{Source: "new.csv"}); err != nil {
		t.Fatal(err)
	}
	got, err := postgis.LoadSnapshot(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	vs, err = postgis.Versions(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[1].Version != got.Version || vs[1].Version == vs[0].Version ||
		vs[1].Counts.Childcare != c.Childcare+2 || !strings.Contains(vs[1].Source, "new.csv") || vs[1].PublishedAt.Before(vs[0].PublishedAt) {
		t.Fatalf("after an import and its repeat: %+v, serving %s", vs, got.Version)
	}

	reader := pool(t, pgtest.ReaderURL(t, url))
	if rv, err := postgis.Versions(ctx, reader); err != nil || len(rv) != 2 {
		t.Errorf("the read-only role lists %d versions: %v", len(rv), err)
	}
}
