package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"shanyu/county"
	"shanyu/snapshot"
)

// Citable versions: every answer names the dataset version it comes from
// (the Dataset-Version header, besides the ETag and the dataset object of
// JSON bodies), and /api/v1/dataset/versions lists the versions published.

// DatasetVersion is one published version of the dataset.
type DatasetVersion struct {
	Version     string        `json:"version" doc:"Content hash: the version to cite"`
	PublishedAt string        `json:"published_at" doc:"When it was published (RFC 3339)"`
	Import      string        `json:"import,omitempty" doc:"The import that made it: its kind and file"`
	Counts      county.Counts `json:"counts"`
	Current     bool          `json:"current" doc:"The version this server answers from now"`
	Cite        string        `json:"cite" doc:"A citation for downloads of this version"`
}

// VersionLister lists the versions the system of record has published,
// oldest first; the service wires in the database's import log.
type VersionLister func(ctx context.Context) ([]DatasetVersion, error)

// versionCache remembers the list per snapshot: it only grows with an
// import, and an import brings a new snapshot.
type versionCache struct {
	mu      sync.Mutex
	list    VersionLister
	forSnap *snapshot.Snapshot
	cached  []DatasetVersion
}

// SetVersions makes the server list versions with list (from the import
// log). Without it, the one version of the loaded bundle is listed.
func (s *Server) SetVersions(list VersionLister) {
	s.versions.mu.Lock()
	defer s.versions.mu.Unlock()
	s.versions.list, s.versions.forSnap, s.versions.cached = list, nil, nil
}

func (c *versionCache) get(ctx context.Context, snap *snapshot.Snapshot) ([]DatasetVersion, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forSnap == snap && c.cached != nil {
		return c.cached, nil
	}
	var out []DatasetVersion
	if c.list != nil {
		var err error
		if out, err = c.list(ctx); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 || out[len(out)-1].Version != snap.Version {
		// A bundle, or a database filled before versions were logged: the
		// version being served is published all the same.
		out = append(out, DatasetVersion{Version: snap.Version, PublishedAt: snap.LastModified().UTC().Format(time.RFC3339),
			Counts: snap.Counts()})
	}
	c.forSnap, c.cached = snap, out
	return out, nil
}

// VersionsOutput is the answer of GET /api/v1/dataset/versions.
type VersionsOutput struct {
	Body struct {
		Current   string           `json:"current" doc:"The version this server answers from now"`
		HowToCite string           `json:"how_to_cite"`
		Versions  []DatasetVersion `json:"versions" doc:"Oldest first"`
	}
}

func (s *Server) registerVersions(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-dataset-versions", Method: http.MethodGet, Path: "/api/v1/dataset/versions",
		Summary: "The dataset versions published", Tags: []string{"Dataset"},
		Description: "Every version of the dataset this service has published, from the database's import log (a bundle " +
			"has one), with when it was published and its counts. Every answer names its version in the Dataset-Version " +
			"header and the ETag; cite that version with what you download."},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, in *ogcBase) (*VersionsOutput, error) {
			list, err := s.versions.get(ctx, snap)
			if err != nil {
				return nil, s.problem(ctx, err, "")
			}
			out := &VersionsOutput{}
			out.Body.Current = snap.Version
			out.Body.HowToCite = "Name the dataset version with the URL you downloaded and the date, e.g. " + citation(snap, in.base)
			out.Body.Versions = make([]DatasetVersion, len(list))
			for i, v := range list {
				v.Current = v.Version == snap.Version
				v.Cite = snap.Meta.Title + ". Dataset version " + v.Version + " (" + v.PublishedAt[:min(10, len(v.PublishedAt))] + ")."
				out.Body.Versions[i] = v
			}
			return out, nil
		}))
}

// versionHeader names the dataset version in every answer given from a
// snapshot.
func versionHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if snap := pinned(r.Context()); snap != nil {
			w.Header().Set("Dataset-Version", snap.Version)
		}
		next.ServeHTTP(w, r)
	})
}
