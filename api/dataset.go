package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"shanyu/county"
)

// Dataset describes the data being served.
type Dataset struct {
	Version    string        `json:"version" doc:"Content hash of the data: cite it with what you download"`
	APIVersion string        `json:"api_version"`
	Counts     county.Counts `json:"counts" doc:"Facilities include closed ones, which keep their closed_on date"`
	Years      []int         `json:"population_years"`
	// CodeLicence is shanyu's licence, as opposed to the data's (Licence).
	CodeLicence string `json:"code_licence" doc:"Licence of the software serving the data (SPDX), not of the data: the data's licences are licence and sources" example:"Apache-2.0"`
	county.Meta
	Described bool `json:"described" doc:"False until the publisher describes the data (shanyu describe): title, licence and reference date are then empty"`
}

// DatasetOutput is the answer of GET /api/v1/dataset.
type DatasetOutput struct {
	Body Dataset
}

// HealthOutput is the answer of the health probes.
type HealthOutput struct {
	Body struct {
		Status  string `json:"status" enum:"ok,ready,degraded"`
		Version string `json:"version,omitempty" doc:"Dataset version being served"`
		Reason  string `json:"reason,omitempty" doc:"Why the service is degraded: it serves its last snapshot meanwhile"`
		Since   string `json:"since,omitempty" doc:"When it became degraded (RFC 3339)"`
	}
}

func (s *Server) registerDataset(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "get-dataset", Method: http.MethodGet,
		Path: "/api/v1/dataset", Summary: "Describe the dataset", Tags: []string{"Dataset"},
		Description: "Version, when it was generated or published, whether it is sample data, its licence, " +
			"sources and counts."},
		func(ctx context.Context, _ *struct{}) (*DatasetOutput, error) {
			snap := pinned(ctx)
			if snap == nil {
				return nil, errNoSnapshot
			}
			out := &DatasetOutput{Body: Dataset{Version: snap.Version, APIVersion: Version, Counts: snap.Counts(), Meta: snap.Meta,
				CodeLicence: CodeLicence, Described: snap.Meta.Described()}}
			if !out.Body.Described {
				out.Body.Notice = "This dataset is not described yet: its title, publisher, licence and reference date " +
					"are unknown until the publisher sets them (shanyu describe). " + out.Body.Notice
				out.Body.NoticeZh = "本数据集尚未说明：发布单位设置（shanyu describe）之前，标题、发布单位、许可与基准日期未知。" + out.Body.NoticeZh
			}
			seen := map[int]bool{}
			for _, p := range snap.Population(snap.Meta.CountyCode) {
				if !seen[p.Year] {
					seen[p.Year] = true
					out.Body.Years = append(out.Body.Years, p.Year)
				}
			}
			return out, nil
		})
}

func (s *Server) registerHealth(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "healthz", Method: http.MethodGet, Path: "/healthz",
		Summary: "Liveness", Tags: []string{"Service"}, Description: "200 while the process serves HTTP."},
		func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
			out := &HealthOutput{}
			out.Body.Status = "ok"
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "readyz", Method: http.MethodGet, Path: "/readyz",
		Summary: "Readiness", Tags: []string{"Service"},
		Description: "200 with the dataset version once a snapshot is loaded (status degraded, with the reason, " +
			"while the database is away and the last snapshot is served); 503 before any snapshot is loaded."},
		func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
			snap := s.snap.Load()
			d := s.degraded.Load()
			if snap == nil {
				msg := "no snapshot loaded yet"
				if d != nil {
					msg += ": " + d.reason
				}
				return nil, huma.Error503ServiceUnavailable(msg)
			}
			out := &HealthOutput{}
			out.Body.Status, out.Body.Version = "ready", snap.Version
			if d != nil {
				out.Body.Status, out.Body.Reason, out.Body.Since = "degraded", d.reason, d.since.Format(time.RFC3339)
			}
			return out, nil
		})
}
