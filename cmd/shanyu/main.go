// Command shanyu serves the open-data API and dashboard of a county's
// fertility-support policy. Wiring only: the work is in the packages.
//
//	shanyu serve                   serve the bundled sample county on 127.0.0.1:8080
//	shanyu serve --data DIR        serve a bundle folder instead
//	DATABASE_URL=… shanyu serve    serve from PostGIS with a read-only role, following imports
//	shanyu migrate up|down|status  manage the PostGIS schema
//	shanyu import-bundle [DIR]     load a bundle (default: the sample county) into PostGIS
//	shanyu export DIR              write the data (PostGIS, or the sample) as a bundle
//	shanyu import --kind K FILE    import an office's CSV, XLSX or GeoJSON, all or nothing
//	shanyu describe --title …      describe the dataset: title, publisher, licence, reference date
//	shanyu template --kind K       write an empty import template (xlsx or csv) for a county office
//	shanyu load-sample-microdata   put the sample's synthetic microdata into the private schema
//	shanyu publish                 protect and publish the indicators if the audit passes
//	shanyu openapi                 print the OpenAPI document (YAML)
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/danielgtaylor/huma/v2/humacli"
	"github.com/spf13/cobra"

	"shanyu/api"
	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// Options are the command-line options; each is also read from the
// environment as SERVICE_<NAME> (SERVICE_PORT=9090).
type Options struct {
	Host      string `doc:"Address to listen on" default:"127.0.0.1"`
	Port      int    `doc:"Port to listen on" short:"p" default:"8080"`
	Data      string `doc:"Bundle folder to serve; empty serves the bundled sample county"`
	LogFormat string `doc:"Log format: json or text" default:"json"`
	// DatabaseURL is also read from DATABASE_URL, the usual name.
	DatabaseURL string `doc:"PostgreSQL connection string (also DATABASE_URL); serve then follows the database"`
}

// databaseURL returns the connection string from the option or DATABASE_URL.
func (o *Options) databaseURL() string {
	if o.DatabaseURL != "" {
		return o.DatabaseURL
	}
	return os.Getenv("DATABASE_URL")
}

func main() {
	var opts *Options
	cli := humacli.New(func(hooks humacli.Hooks, o *Options) { opts = o })
	root := cli.Root()
	root.Use = "shanyu"
	root.Short = "Open data on a county's fertility-support policy: API and dashboard"
	root.Run = func(cmd *cobra.Command, _ []string) { _ = cmd.Help() }
	root.AddCommand(&cobra.Command{
		Use:   "serve",
		Short: "Serve the API and dashboard (the bundled sample county unless --data names a bundle)",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			if err := serve(opts); err != nil {
				fmt.Fprintln(os.Stderr, "shanyu serve:", err)
				os.Exit(1)
			}
		},
	})
	root.AddCommand(&cobra.Command{
		Use:   "openapi",
		Short: "Print the OpenAPI 3.1 document as YAML (the committed openapi.yaml)",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			b, err := api.OpenAPI().YAML()
			if err != nil {
				fmt.Fprintln(os.Stderr, "shanyu openapi:", err)
				os.Exit(1)
			}
			_, _ = os.Stdout.Write(b)
		},
	})
	addDatabaseCommands(root, func() *Options { return opts })
	cli.Run()
}

func newLogger(format string) *slog.Logger {
	if format == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, nil))
}

func loadSnapshot(opts *Options) (*snapshot.Snapshot, error) {
	if opts.Data == "" {
		return bundle.Load(sample.Bundle())
	}
	return bundle.Load(os.DirFS(opts.Data))
}

func serve(opts *Options) error {
	log := newLogger(opts.LogFormat)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	srv := api.NewServer(nil, log)
	// following stays nil without a database, and a nil channel never fires.
	var following <-chan error
	if dbURL := opts.databaseURL(); dbURL != "" {
		var err error
		if following, err = followDatabase(ctx, dbURL, srv, log); err != nil {
			return err
		}
	} else {
		start := time.Now()
		snap, err := loadSnapshot(opts)
		if err != nil {
			return err
		}
		c := snap.Counts()
		log.Info("snapshot loaded", "version", snap.Version, "sample", snap.Meta.Sample,
			"childcare", c.Childcare, "nursing_rooms", c.NursingRooms, "regions", c.Townships+c.Villages+1,
			"took_ms", time.Since(start).Milliseconds())
		srv.Swap(snap)
	}
	hs := &http.Server{
		Addr:              net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port)),
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second, // bulk downloads of a large province
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", hs.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "url", "http://"+ln.Addr().String())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	var refused error
	select {
	case err := <-errc:
		return err
	case refused = <-following:
		if refused == nil { // Follow ends cleanly only when ctx does
			break
		}
		log.Error("refusing to serve", "error", refused)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return refused
}
