package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"shanyu/coverage"
	"shanyu/dashboard"
	"shanyu/snapshot"
	"shanyu/web"
)

// Version is the API's version; it is part of every ETag, so a new release
// never answers 304 for bytes an older one wrote.
const Version = "0.1.0"

// CodeLicence is the SPDX identifier of shanyu's licence (LICENSE in the
// project); it covers the code, not the data.
const CodeLicence = "Apache-2.0"

// MaxBodyBytes bounds a request body. Only POST /api/v1/benefits reads one
// (with its own, smaller bound); this keeps a client from streaming a body
// at any other path.
const MaxBodyBytes = 1 << 20

// RequestDeadline bounds the work of one request: the heavy computations
// check the request's context and stop when it passes, or when the client
// leaves.
const RequestDeadline = 10 * time.Second

// Server answers the API from the current snapshot.
type Server struct {
	snap     atomic.Pointer[snapshot.Snapshot] // the snapshot new requests see
	degraded atomic.Pointer[degradation]       // set while the system of record is away
	log      *slog.Logger
	metrics  *metrics
	limit    *web.Limiter

	accessCache  *web.ModelCache[[]coverage.Accessibility]
	suggestCache *web.ModelCache[suggestResult]
	tiles        tileCache        // rendered vector tiles, per dataset version
	versions     versionCache     // the versions published, per snapshot
	dash         dashboard.Config // the dashboard's optional base map

	// general makes the facility answers go through encoding/json item by
	// item instead of being assembled from pre-rendered bytes: the
	// reference the assembled answers are tested against, byte for byte.
	general bool
}

// degradation says why the server serves a snapshot it cannot refresh.
type degradation struct {
	reason string
	since  time.Time
}

// NewServer returns a server over snap (nil until one is loaded: /readyz
// then says not ready and data endpoints answer 503).
func NewServer(snap *snapshot.Snapshot, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{log: log, metrics: newMetrics()}
	s.limit = web.NewLimiter(0, web.HeavyQueueWait, func() { s.metrics.shed.Inc() })
	counted := func(hit bool) {
		if hit {
			s.metrics.cache.WithLabelValues("hit").Inc()
		} else {
			s.metrics.cache.WithLabelValues("miss").Inc()
		}
	}
	s.accessCache = web.NewModelCache[[]coverage.Accessibility](web.DefaultCacheEntries, counted)
	s.suggestCache = web.NewModelCache[suggestResult](web.DefaultCacheEntries, counted)
	if snap != nil {
		s.Swap(snap)
	}
	return s
}

// Swap makes snap the snapshot for every request that starts from now on.
// Requests already running finish on the snapshot they started with.
func (s *Server) Swap(snap *snapshot.Snapshot) {
	if snap != nil {
		rendering(snap) // render the facilities before the first request needs them
	}
	s.snap.Store(snap)
	s.degraded.Store(nil)
	s.accessCache.Retain(snap.Version)
	s.suggestCache.Retain(snap.Version)
	s.metrics.snapshotLoaded(snap)
}

// Degrade records that the data source is unreachable: the server goes on
// serving its last snapshot and /readyz says "degraded" with reason, a
// sentence for operators (details belong in the logs, not in a public
// answer). The next Swap clears it.
func (s *Server) Degrade(reason string) {
	if d := s.degraded.Load(); d != nil && d.reason == reason {
		return // keep the first time it happened
	}
	s.degraded.Store(&degradation{reason: reason, since: time.Now().UTC()})
}

// SetDashboard configures the dashboard that Handler serves (its optional
// base map and the Content-Security-Policy that follows it). Call it before
// Handler.
func (s *Server) SetDashboard(c dashboard.Config) { s.dash = c }

// Snapshot returns the current snapshot, or nil.
func (s *Server) Snapshot() *snapshot.Snapshot { return s.snap.Load() }

// Config is the Huma configuration of the API: OpenAPI 3.1 at
// /openapi.json and /openapi.yaml, no CDN-loaded docs page (the dashboard
// serves its own at /docs), no $schema links in bodies.
func Config() huma.Config {
	config := huma.DefaultConfig("shanyu", Version)
	config.Info.Description = "Open data on a county's fertility-support policy: childcare centres (托育机构), " +
		"mother-and-baby rooms (母婴室), regions and their population. Coordinates are WGS84 lon,lat; " +
		"distances are great-circle metres. Every GET carries a strong ETag from the dataset version. " +
		"The bundled data set is sample data — not official statistics."
	// The API's licence is the code's; the data's are in GET /api/v1/dataset.
	config.Info.License = &huma.License{Name: "Apache-2.0 (the code; the data's licences: GET /api/v1/dataset)", Identifier: CodeLicence}
	config.DocsPath = ""
	// JSON is the one format (as in Huma's defaults); it writes the answers
	// assembled from pre-rendered bytes as they are (see render.go).
	config.Formats = map[string]huma.Format{}
	for k, f := range huma.DefaultFormats {
		config.Formats[k] = f
	}
	config.Formats["application/json"], config.Formats["json"] = jsonFormat, jsonFormat
	config.CreateHooks = nil
	config.Transformers = []huma.Transformer{explainBenefitsProblems}
	config.OpenAPI.Tags = []*huma.Tag{
		{Name: "Facilities", Description: "Childcare centres and mother-and-baby rooms: nearby search, filters, bulk downloads"},
		{Name: "Regions", Description: "County, townships, villages and communities: codes, population, boundaries"},
		{Name: "Coverage", Description: "Childcare, paediatricians and mother-and-baby rooms against the policy's per-thousand targets: gaps, costs, accessibility, where to add slots"},
		{Name: "Indicators", Description: "The policy's outcome indicators, published without exposing any family, and the scorecard of every target"},
		{Name: "Policy", Description: "The policy's targets and money rules as data, with their clauses"},
		{Name: "Benefits", Description: "What one family can get under the policy, computed from its rules; nothing sent is stored or logged"},
		{Name: "Dataset", Description: "What the data is, where it comes from, its version"},
		{Name: "Service", Description: "Liveness and readiness"},
		{Name: "OGC API – Features", Description: "The same data as OGC API – Features collections, for QGIS, ArcGIS and GDAL"},
		{Name: "Vector tiles", Description: "Mapbox vector tiles of the collections, with TileJSON"},
	}
	return config
}

// NewAPI returns the Huma API with every operation registered on mux.
func (s *Server) NewAPI(mux *http.ServeMux) huma.API {
	api := humago.New(mux, Config())
	api.UseMiddleware(s.metrics.humaMiddleware, web.StrictQuery(api))
	s.registerFacilities(api)
	s.registerRegions(api)
	s.registerCoverage(api)
	s.registerIndicators(api)
	s.registerBenefits(api)
	s.registerDataset(api)
	s.registerHealth(api)
	s.registerOGC(api)
	s.registerTiles(api)
	s.registerDataPackage(api)
	s.registerVersions(api)
	return api
}

// Handler returns the whole service: the API, its OpenAPI document, the
// docs page, the dashboard and /metrics, behind the middlewares (listed in
// the package documentation, outermost first).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.NewAPI(mux)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.Handle("GET /", dashboard.New(s.dash))
	mux.Handle("GET /api/", apiFallback(mux))
	var h http.Handler = mux
	for _, m := range []func(http.Handler) http.Handler{
		versionHeader, s.pinSnapshot, web.APIProblems, conditional, web.Compress, web.SecurityHeaders, web.CORS, s.logAndRecover, withRequestID,
	} {
		h = m(h)
	}
	return h
}

// apiFallback answers a request under /api/ that no operation takes: 405
// with Allow when the path takes other methods (GET on the POST-only
// benefits calculator, say), else 404; web.APIProblems makes either a
// problem document. Without it, the dashboard's catch-all "GET /" would
// answer every GET under /api/ that no operation takes with a 404.
func apiFallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if m == r.Method {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "GET /api/" && pattern != "GET /" && pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	})
}

// OpenAPI returns the API's OpenAPI document, as `shanyu openapi` prints it.
func OpenAPI() *huma.OpenAPI {
	s := NewServer(nil, nil)
	return s.NewAPI(http.NewServeMux()).OpenAPI()
}

// problem maps an error from below to the problem a client sees. Known
// errors become 4xx with a sentence; anything else is logged with the
// request id and answered with a 500 that carries no internal text.
func (s *Server) problem(ctx context.Context, err error, notFound string) error {
	var se huma.StatusError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return err
	case errors.Is(err, snapshot.ErrNotFound):
		return huma.Error404NotFound(notFound)
	case web.IsCanceled(err):
		// The client left (it will not see this), or the work passed the
		// request's deadline.
		return errDeadline
	}
	s.log.ErrorContext(ctx, "internal error", "request_id", requestID(ctx), "error", err)
	return huma.Error500InternalServerError("internal error; quote request id " + requestID(ctx) + " when reporting it")
}

// withData adapts a handler that reads the data: while no snapshot is
// loaded it answers 503, otherwise it calls h with the snapshot pinned to
// the request, the one version h reads from start to end.
func withData[I, O any](h func(context.Context, *snapshot.Snapshot, *I) (*O, error)) func(context.Context, *I) (*O, error) {
	return func(ctx context.Context, in *I) (*O, error) {
		snap := pinned(ctx)
		if snap == nil {
			return nil, errNoSnapshot
		}
		return h(ctx, snap, in)
	}
}

// errDeadline answers a request whose work passed RequestDeadline.
var errDeadline = huma.Error503ServiceUnavailable("the request took longer than the server allows; try again, or ask for less (a smaller catchment, fewer slots)")

// errNoSnapshot answers data requests before any snapshot is loaded.
var errNoSnapshot = huma.Error503ServiceUnavailable("the data is still loading; try again in a few seconds")
