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
//
// Every error ends the command with a message on stderr and a non-zero exit
// status: 2 for a usage error (unknown command or flag, bad flag or
// environment value, missing argument or database), 1 for a failure while
// running.
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
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"shanyu/api"
	"shanyu/dashboard"
	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
	"shanyu/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := newRoot().ExecuteContext(ctx)
	stop()
	os.Exit(report(err))
}

// usageError is a mistake in how the command was called; it exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// reportedError is a failure whose details the command already wrote to
// stderr; it exits 1 with no further message.
type reportedError struct{}

func (reportedError) Error() string { return "failed (see above)" }

// report writes err to stderr and returns the exit status.
func report(err error) int {
	if err == nil {
		return 0
	}
	var usage usageError
	switch {
	case errors.As(err, &reportedError{}):
		return 1
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "shanyu:", err)
		fmt.Fprintln(os.Stderr, "Run 'shanyu --help' or 'shanyu COMMAND --help' for usage.")
		return 2
	default:
		fmt.Fprintln(os.Stderr, "shanyu:", err)
		return 1
	}
}

// args wraps a cobra argument check so that its complaint is a usage error
// that names the command's usage line.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usagef("%s: %v (usage: %s)", where(cmd), err, cmd.UseLine())
		}
		return nil
	}
}

// subcommandOnly refuses anything but one of a parent command's
// subcommands (cobra would print the help and exit 0).
func subcommandOnly(cmd *cobra.Command, a []string) error {
	if len(a) == 0 {
		return usagef("%s needs a command: %s", where(cmd), subcommandNames(cmd))
	}
	name := a[0]
	if cmd.HasParent() {
		name = where(cmd) + " " + a[0]
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if s := cmd.SuggestionsFor(a[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return usagef("%s; the commands are: %s", msg, subcommandNames(cmd))
}

// where names cmd in a message that follows "shanyu: ".
func where(cmd *cobra.Command) string {
	if !cmd.HasParent() {
		return "shanyu"
	}
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

func subcommandNames(cmd *cobra.Command) string {
	s := ""
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			if s != "" {
				s += ", "
			}
			s += c.Name()
		}
	}
	return s
}

// envAnnotation marks a flag that may also be given in an environment
// variable; the variable's name is in the flag's --help line.
const envAnnotation = "shanyu_env"

// withEnv lets the environment variable env give flag name of cmd when the
// flag is not on the command line, and says so in --help.
func withEnv(cmd *cobra.Command, name, env string) {
	f := cmd.Flags().Lookup(name)
	f.Usage += " [env " + env + "]"
	_ = cmd.Flags().SetAnnotation(name, envAnnotation, []string{env})
}

// applyEnv sets each flag left off the command line from its environment
// variable, refusing a value the flag would refuse.
func applyEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		env := f.Annotations[envAnnotation]
		if err != nil || len(env) == 0 || f.Changed {
			return
		}
		if v, ok := os.LookupEnv(env[0]); ok && v != "" {
			if serr := f.Value.Set(v); serr != nil {
				err = usagef("%s=%q (for --%s): %v", env[0], v, f.Name, serr)
			}
		}
	})
	return err
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "shanyu",
		Short: "Open data on a county's fertility-support policy: API and dashboard",
		Long: "Open data on a county's fertility-support policy: API and dashboard.\n\n" +
			"'shanyu serve' needs nothing else: it serves the bundled sample county. The commands\n" +
			"that read or write PostgreSQL + PostGIS (migrate, import-bundle, import,\n" +
			"load-sample-microdata, publish) need --database-url or DATABASE_URL and never guess one.",
		Args:              rootArgs,
		RunE:              func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return applyEnv(cmd) },
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		if !cmd.HasParent() {
			return usageError{err}
		}
		return usagef("%s: %v", where(cmd), err)
	})
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, a []string) error {
			target, rest, err := c.Root().Find(a)
			if err != nil {
				return subcommandOnly(c.Root(), a)
			}
			if len(rest) > 0 {
				return subcommandOnly(target, rest)
			}
			return target.Help()
		},
	})
	root.AddCommand(serveCommand(), openapiCommand())
	addDatabaseCommands(root)
	return root
}

// rootArgs refuses an unknown command.
func rootArgs(cmd *cobra.Command, a []string) error {
	if len(a) == 0 {
		return nil
	}
	return subcommandOnly(cmd, a)
}

func openapiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the OpenAPI 3.1 document as YAML (the committed openapi.yaml)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := api.OpenAPI().YAML()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(b)
			return err
		},
	}
}

// serveOptions are serve's flags.
type serveOptions struct {
	host, data, logFormat, databaseURL string
	port                               int
	// dashboard holds the optional base map under the dashboard's maps.
	dashboard dashboard.Config
}

func serveCommand() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API and dashboard (the bundled sample county unless --data or a database is named)",
		Long: "Serve the API, the map and the docs over HTTP.\n\n" +
			"With no --data and no database it serves the sample county embedded in the binary.\n" +
			"With --database-url (or DATABASE_URL) it serves what PostGIS holds, with a read-only role,\n" +
			"and reloads within seconds of every import. Stops gracefully on SIGINT or SIGTERM.",
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.port < 0 || o.port > 65535 {
				return usagef("serve: --port %d is not a port (0 to 65535; 0 picks a free one)", o.port)
			}
			if o.logFormat != "json" && o.logFormat != "text" {
				return usagef("serve: --log-format %q: want json or text", o.logFormat)
			}
			if o.data != "" && o.databaseURL != "" {
				return usagef("serve: --data (or SERVICE_DATA) and --database-url (or DATABASE_URL) are both set: serve one or the other")
			}
			if err := o.dashboard.Validate(); err != nil {
				return usagef("serve: %v", err)
			}
			return serve(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.host, "host", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
	f.IntVarP(&o.port, "port", "p", 8080, "port to listen on")
	f.StringVar(&o.data, "data", "", "bundle folder to serve instead of the embedded sample county")
	f.StringVar(&o.logFormat, "log-format", "json", "log format: json or text")
	f.StringVar(&o.databaseURL, "database-url", "", "PostgreSQL connection string of a read-only role: serve what the database holds")
	f.StringVar(&o.dashboard.BaseMapURL, "base-map-url", "",
		"XYZ tile URL template drawn under the dashboard's maps, e.g. https://tile.example.org/{z}/{x}/{y}.png; the pages' CSP then allows its host (default: offline, the county's own polygons)")
	f.StringVar(&o.dashboard.BaseMapAttribution, "base-map-attribution", "", "the credit the base map's operator requires (needed with --base-map-url)")
	withEnv(cmd, "host", "SERVICE_HOST")
	withEnv(cmd, "port", "SERVICE_PORT")
	withEnv(cmd, "data", "SERVICE_DATA")
	withEnv(cmd, "log-format", "SERVICE_LOG_FORMAT")
	withEnv(cmd, "base-map-url", "SERVICE_BASE_MAP_URL")
	withEnv(cmd, "base-map-attribution", "SERVICE_BASE_MAP_ATTRIBUTION")
	withEnv(cmd, "database-url", "DATABASE_URL")
	return cmd
}

func newLogger(format string) *slog.Logger {
	if format == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, nil))
}

func loadSnapshot(dir string) (*snapshot.Snapshot, error) {
	if dir == "" {
		return bundle.Load(sample.Bundle())
	}
	return bundle.Load(os.DirFS(dir))
}

func serve(ctx context.Context, o serveOptions) error {
	log := newLogger(o.logFormat)
	srv := api.NewServer(nil, log)
	srv.SetDashboard(o.dashboard)
	// following stays nil without a database, and a nil channel never fires.
	var following <-chan error
	if o.databaseURL != "" {
		var err error
		if following, err = followDatabase(ctx, o.databaseURL, srv, log); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	} else {
		start := time.Now()
		snap, err := loadSnapshot(o.data)
		if err != nil {
			return fmt.Errorf("serve: --data %s: %w", o.data, err)
		}
		c := snap.Counts()
		log.Info("snapshot loaded", "version", snap.Version, "sample", snap.Meta.Sample,
			"childcare", c.Childcare, "nursing_rooms", c.NursingRooms, "regions", c.Townships+c.Villages+1,
			"took_ms", time.Since(start).Milliseconds())
		srv.Swap(snap)
	}
	hs := web.NewHTTPServer(net.JoinHostPort(o.host, strconv.Itoa(o.port)), srv.Handler(), log)
	maxConns := web.MaxConnections()
	ln, err := web.Listen(hs, maxConns)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("connection limits", "max_connections", maxConns, "idle_timeout", web.IdleTimeout.String())
	log.Info("listening", "url", "http://"+ln.Addr().String())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	var refused error
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
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
		return fmt.Errorf("serve: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return refused
}
