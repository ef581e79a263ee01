package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"shanyu/api"
	"shanyu/county"
	"shanyu/data/sample"
	"shanyu/data/sample/generator"
	"shanyu/indicators"
	"shanyu/snapshot"
	"shanyu/source"
	"shanyu/source/bundle"
	"shanyu/source/imports"
	"shanyu/source/postgis"
)

// followDatabase checks that the role can only read, then keeps srv's
// snapshot in step with the database in the background. It returns at
// once: while the first load is pending, /readyz answers 503 and says why.
// followDatabase checks the role once before serving (a role that can write
// is refused outright; a database that is down is waited for, with /readyz
// saying so), then follows the database in the background: the channel
// yields Follow's end, an error when the role is refused later.
func followDatabase(ctx context.Context, dbURL string, srv *api.Server, log *slog.Logger) (<-chan error, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err := func() error {
		conn, err := pgx.Connect(cctx, dbURL)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		return postgis.CheckReadOnly(cctx, conn)
	}()
	cancel()
	if errors.Is(err, postgis.ErrNotReadOnly) {
		return nil, err
	} else if err != nil {
		log.Warn("database unreachable at start; retrying in the background", "error", err)
		srv.Degrade("the database is unreachable; retrying")
	}
	src := &postgis.Source{URL: dbURL, RequireReadOnly: true, Log: log}
	srv.SetVersions(versionLister(dbURL))
	done := make(chan error, 1)
	go func() {
		done <- source.Follow(ctx, src, log, snapshot.New, srv.Swap, func(error) {
			srv.Degrade("the database is unreachable since the last snapshot; serving that snapshot")
		})
	}()
	return done, nil
}

// errNoDatabase is the refusal of a command that needs a database and was
// given none. pgx would otherwise read PGHOST and friends or try the default
// socket: a database command never guesses.
var errNoDatabase = errors.New("no database named: pass --database-url or set DATABASE_URL " +
	"(a PostgreSQL connection string, postgres://user@host:port/db)")

// databaseFlag adds --database-url (or DATABASE_URL) to cmd.
func databaseFlag(cmd *cobra.Command, url *string, usage string) {
	cmd.Flags().StringVar(url, "database-url", "", usage)
	withEnv(cmd, "database-url", "DATABASE_URL")
}

// needsDatabase adds a required --database-url to cmd and says so in its
// help.
func needsDatabase(cmd *cobra.Command) *string {
	var url string
	databaseFlag(cmd, &url, "PostgreSQL connection string of an administrator of the database (required)")
	note := "Needs a database: --database-url or DATABASE_URL (refused without one; no default)."
	if cmd.Long == "" {
		cmd.Long = cmd.Short + ".\n\n" + note
	} else {
		cmd.Long += "\n\n" + note
	}
	// Refused before anything else runs, so that nothing connects anywhere.
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error {
		if url == "" {
			return usageError{fmt.Errorf("%s: %w", where(cmd), errNoDatabase)}
		}
		return nil
	}
	return &url
}

// dbURL returns the connection string, or the refusal when there is none.
func dbURL(url *string) (string, error) {
	if *url == "" {
		return "", errNoDatabase
	}
	return *url, nil
}

func connect(ctx context.Context, url *string) (*pgx.Conn, error) {
	u, err := dbURL(url)
	if err != nil {
		return nil, err
	}
	return pgx.Connect(ctx, u)
}

func newPool(ctx context.Context, url *string) (*pgxpool.Pool, error) {
	u, err := dbURL(url)
	if err != nil {
		return nil, err
	}
	return pgxpool.New(ctx, u)
}

// withConn runs f on a connection to the database named by url.
func withConn(ctx context.Context, url *string, f func(*pgx.Conn) error) error {
	conn, err := connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return f(conn)
}

func addDatabaseCommands(root *cobra.Command) {
	migrateCmd := &cobra.Command{
		Use:   "migrate up|down|status",
		Short: "Manage the PostGIS schema (up, down, status)",
		Args:  subcommandOnly,
		RunE:  func(*cobra.Command, []string) error { return nil }, // Args refuses first
	}
	up := &cobra.Command{Use: "up", Short: "Apply every migration not yet applied", Args: args(cobra.NoArgs)}
	upURL := needsDatabase(up)
	up.RunE = func(cmd *cobra.Command, _ []string) error {
		return withConn(cmd.Context(), upURL, func(conn *pgx.Conn) error {
			if err := postgis.Migrate(cmd.Context(), conn, -1); err != nil {
				return fmt.Errorf("migrate up: %w", err)
			}
			v, _, err := postgis.MigrationStatus(cmd.Context(), conn)
			if err != nil {
				return fmt.Errorf("migrate up: %w", err)
			}
			fmt.Printf("schema at version %d\n", v)
			return nil
		})
	}
	down := &cobra.Command{Use: "down", Short: "Undo the last migration applied", Args: args(cobra.NoArgs)}
	downURL := needsDatabase(down)
	down.RunE = func(cmd *cobra.Command, _ []string) error {
		return withConn(cmd.Context(), downURL, func(conn *pgx.Conn) error {
			v, _, err := postgis.MigrationStatus(cmd.Context(), conn)
			if err != nil {
				return fmt.Errorf("migrate down: %w", err)
			}
			if v == 0 {
				fmt.Println("no migration to undo")
				return nil
			}
			if err := postgis.Migrate(cmd.Context(), conn, v-1); err != nil {
				return fmt.Errorf("migrate down: %w", err)
			}
			fmt.Printf("schema at version %d\n", v-1)
			return nil
		})
	}
	status := &cobra.Command{Use: "status", Short: "Show the schema version and the migrations", Args: args(cobra.NoArgs)}
	statusURL := needsDatabase(status)
	status.RunE = func(cmd *cobra.Command, _ []string) error {
		return withConn(cmd.Context(), statusURL, func(conn *pgx.Conn) error {
			v, names, err := postgis.MigrationStatus(cmd.Context(), conn)
			if err != nil {
				return fmt.Errorf("migrate status: %w", err)
			}
			for i, n := range names {
				mark := "pending"
				if int32(i) < v {
					mark = "applied"
				}
				fmt.Printf("%3d  %-8s %s\n", i+1, mark, n)
			}
			return nil
		})
	}
	migrateCmd.AddCommand(up, down, status)
	root.AddCommand(migrateCmd)
	root.AddCommand(importCommand(), describeCommand(), templateCommand())
	addPublishCommands(root)

	var sampleBundle bool
	importBundle := &cobra.Command{
		Use:   "import-bundle DIR | --sample",
		Short: "Replace the database's data with a bundle folder (or, with --sample, the bundled sample county), in one transaction",
		Args:  args(cobra.MaximumNArgs(1)),
	}
	importBundle.Flags().BoolVar(&sampleBundle, "sample", false, "load the bundled sample county (made-up data)")
	bundleURL := needsDatabase(importBundle)
	importBundle.RunE = func(cmd *cobra.Command, a []string) error {
		var fsys fs.FS
		var source string
		switch {
		case len(a) == 1 && sampleBundle:
			return usagef("import-bundle: give a folder or --sample, not both")
		case len(a) == 1:
			fsys, source = os.DirFS(a[0]), a[0]
		case sampleBundle:
			fsys, source = sample.Bundle(), "sample"
		default:
			return usagef("import-bundle: name the bundle folder to load, or --sample to load the bundled sample " +
				"county (made-up data) — it replaces everything in the database")
		}
		ds, err := bundle.Read(fsys)
		if err != nil {
			return fmt.Errorf("import-bundle: %w", err)
		}
		version, err := bundle.Version(ds)
		if err != nil {
			return fmt.Errorf("import-bundle: %w", err)
		}
		pool, err := newPool(cmd.Context(), bundleURL)
		if err != nil {
			return fmt.Errorf("import-bundle: %w", err)
		}
		defer pool.Close()
		res, err := postgis.ReplaceAll(cmd.Context(), pool, ds, source, version)
		if err != nil {
			return fmt.Errorf("import-bundle: %w", err)
		}
		fmt.Printf("imported %s: %d rows, dataset version %s\n", source, res.Rows, version)
		return nil
	}
	root.AddCommand(importBundle)

	var exportURL string
	export := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the data as a bundle: from the database when one is named, else the bundled sample",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			var ds *county.Dataset
			var err error
			if exportURL != "" {
				err = withConn(cmd.Context(), &exportURL, func(conn *pgx.Conn) error {
					ds, err = postgis.Load(cmd.Context(), conn)
					return err
				})
			} else {
				ds, err = bundle.Read(sample.Bundle())
			}
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			readme, err := fs.ReadFile(sample.Bundle(), "README.md")
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if !ds.Meta.Sample {
				readme = []byte("# " + ds.Meta.Title + "\n\nA shanyu bundle exported from PostGIS. " +
					"Its files and columns are those of the sample county's bundle (data/sample/bundle/README.md in the project); " +
					"dataset.json names the data's sources and licences. shanyu, the software that wrote it, is under the " +
					"Apache License 2.0, which covers the code only, not these files.\n")
			}
			if err := bundle.Write(a[0], ds, map[string][]byte{"README.md": readme}); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			v, _ := bundle.Version(ds)
			fmt.Printf("wrote %s: dataset version %s\n", a[0], v)
			return nil
		},
	}
	databaseFlag(export, &exportURL, "PostgreSQL connection string: export what the database holds (without one, the sample)")
	root.AddCommand(export)
}

func importCommand() *cobra.Command {
	var kind, closedOn, sheet string
	var gcj02, wgs84, full, dryRun bool
	cmd := &cobra.Command{
		Use:   "import --kind KIND FILE",
		Short: "Import a county office's file (CSV, GB18030 CSV, XLSX or GeoJSON) in one transaction",
		Long: "Import a file of one kind — childcare, nursing_room, regions, population or paediatricians — into PostGIS,\n" +
			"or the county's policy (--kind policy policy.json, in the form of policy/policy.schema.json).\n" +
			"Import regions first, then population, then the facilities (docs/load-your-county.md).\n" +
			"Headers may be in Chinese or English (docs/import.md lists them). Every bad row is reported with its line and\n" +
			"reason and then nothing changes. Re-importing the same file changes nothing. With --full, facilities\n" +
			"of the kind that the file leaves out are marked closed on --closed-on (default today), never deleted.",
		Args: args(cobra.ExactArgs(1)),
	}
	url := needsDatabase(cmd)
	cmd.RunE = func(cmd *cobra.Command, a []string) error {
		if kind == "policy" {
			return runImportPolicy(cmd.Context(), url, a[0])
		}
		return runImport(cmd.Context(), url, kind, a[0], sheet, gcj02, wgs84, full, dryRun, closedOn)
	}
	cmd.Flags().StringVar(&kind, "kind", "", "regions | population | childcare | nursing_room | paediatricians | policy (required)")
	cmd.Flags().BoolVar(&gcj02, "gcj02", false, "the coordinates are GCJ-02 (Amap, WeChat): convert them to WGS84")
	cmd.Flags().BoolVar(&wgs84, "wgs84", false, "the coordinates are WGS84 (GPS): take them as they are even where they look like GCJ-02")
	cmd.Flags().StringVar(&sheet, "sheet", "", "the workbook's sheet to read (default: the one whose header names the most columns)")
	cmd.Flags().BoolVar(&full, "full", false, "the file lists every facility of its kind: close those it leaves out")
	cmd.Flags().StringVar(&closedOn, "closed-on", "", "the date facilities left out of a --full import closed (default today, China Standard Time)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and report what would change, without changing anything")
	return cmd
}

func runImport(ctx context.Context, url *string, kind, path, sheet string, gcj02, wgs84, full, dryRun bool, closedOn string) error {
	spec, ok := imports.Specs[kind]
	if !ok {
		if kind == "" {
			return usagef("import: --kind is required: one of %v or policy", imports.Kinds)
		}
		return usagef("import: --kind must be one of %v or policy, not %q", imports.Kinds, kind)
	}
	if gcj02 && wgs84 {
		return usagef("import: --gcj02 and --wgs84 contradict each other: state one coordinate system")
	}
	day := county.Today()
	if closedOn != "" {
		d, err := county.ParseDate(closedOn)
		if err != nil {
			return usagef("import: --closed-on: %v", err)
		}
		day = d
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	table, err := imports.ReadSheet(path, b, spec, sheet)
	if err != nil {
		return fmt.Errorf("import: %s: %w", path, err)
	}
	pool, err := newPool(ctx, url)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer pool.Close()
	codes, county, err := postgis.RegionContext(ctx, pool)
	if err != nil {
		return fmt.Errorf("import: reading the regions: %w", err)
	}
	if kind == "regions" {
		county = nil
	}
	villages, err := postgis.Villages(ctx, pool)
	if err != nil {
		return fmt.Errorf("import: reading the villages: %w", err)
	}
	rec := imports.Parse(kind, table, imports.Options{GCJ02: gcj02, WGS84: wgs84, Regions: codes, County: county, Villages: villages})
	if len(rec.Unknown) > 0 {
		fmt.Fprintf(os.Stderr, "%s: ignored columns %s (not a %s column)\n", path, strings.Join(rec.Unknown, ", "), kind)
	}
	if len(rec.Problems) > 0 {
		reportProblems(path, rec.Problems)
		return reportedError{}
	}
	sum := sha256.Sum256(b)
	res, err := postgis.Import(ctx, pool, rec, postgis.ImportOptions{Full: full, ClosedOn: day, DryRun: dryRun,
		Source: filepath.Base(path), SHA256: hex.EncodeToString(sum[:])})
	var bad *postgis.BadRows
	if errors.As(err, &bad) {
		reportProblems(path, bad.Problems)
		return reportedError{}
	}
	if err != nil {
		return fmt.Errorf("import: %s: %w; nothing imported", path, err)
	}
	note := ""
	if dryRun {
		note = " (dry run: nothing written)"
	}
	fmt.Printf("%s: %d rows — %d new, %d updated, %d closed%s\n", path, res.Rows, res.Inserted, res.Updated, res.Closed, note)
	return nil
}

// reportProblems lists every bad row of a refused file.
func reportProblems(path string, problems []imports.Problem) {
	lines := map[int]bool{}
	for _, p := range problems {
		lines[p.Line] = true
	}
	fmt.Fprintf(os.Stderr, "%s: %d bad rows (%d problems); nothing imported\n", path, len(lines), len(problems))
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "  %s\n", p)
	}
}

func addPublishCommands(root *cobra.Command) {
	var t, ts float64
	pub := &cobra.Command{
		Use:   "publish",
		Short: "Compute the indicators from the private microdata, protect them and publish them if the audit passes",
		Long: "Compute the indicators from the microdata in the database's private schema (for the sample:\n" +
			"import-bundle, then load-sample-microdata), suppress the small counts and those that would give\n" +
			"them away, audit every suppressed cell by linear programming, and publish the release in one\n" +
			"transaction only if the audit passes; running servers reload it within seconds.\n\n" +
			"It needs the database named by --database-url or DATABASE_URL. On the sample county it takes\n" +
			"seconds (docs/indicators.md gives the measured figure); the time grows with the number of\n" +
			"suppressed cells, since the audit bounds each of them by linear programming.",
		Args: args(cobra.NoArgs),
	}
	url := needsDatabase(pub)
	pub.RunE = func(cmd *cobra.Command, _ []string) error {
		pool, err := newPool(cmd.Context(), url)
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		defer pool.Close()
		start := time.Now()
		p, err := postgis.Publish(cmd.Context(), pool, indicators.Options{T: t, TSensitive: ts})
		if err != nil {
			return fmt.Errorf("publish: nothing published: %w", err)
		}
		l := p.Audit.Loss
		fmt.Printf("published release %s: %d of %d figures hidden (%.1f%% of the counted total), %d relations audited, "+
			"passed after %d rounds (%v)\n", p.Audit.ID, l.Suppressed, l.Figures, 100*l.ValueShare, p.Audit.Relations,
			p.Audit.Rounds, time.Since(start).Round(time.Millisecond))
		if b := p.Audit.Baseline; b != nil {
			fmt.Printf("the release it replaces (%s) hid %d of %d figures (%.1f%% of the counted total)\n",
				b.Method, b.Suppressed, b.Figures, 100*b.ValueShare)
		}
		return nil
	}
	pub.Flags().Float64Var(&t, "t", indicators.DefaultT, "primary threshold: counts from 1 to t−1 are hidden")
	pub.Flags().Float64Var(&ts, "t-sensitive", indicators.DefaultTSensitive, "threshold of the sensitive tables (subsidy recipients)")
	root.AddCommand(pub)

	load := &cobra.Command{
		Use:   "load-sample-microdata",
		Short: "Load the sample county's synthetic microdata into the private schema (after import-bundle)",
		Args:  args(cobra.NoArgs),
	}
	loadURL := needsDatabase(load)
	load.RunE = func(cmd *cobra.Command, _ []string) error {
		pool, err := newPool(cmd.Context(), loadURL)
		if err != nil {
			return fmt.Errorf("load-sample-microdata: %w", err)
		}
		defer pool.Close()
		ds, err := bundle.Read(sample.Bundle())
		if err != nil {
			return fmt.Errorf("load-sample-microdata: %w", err)
		}
		md := generator.Microdata(ds, generator.DefaultSeed)
		if err := postgis.SaveMicrodata(cmd.Context(), pool, md); err != nil {
			return fmt.Errorf("load-sample-microdata: %w", err)
		}
		fmt.Printf("loaded %d births, %d deaths, %d marriages, %d pregnancies, %d child screenings, %d payments\n",
			len(md.Births), len(md.Deaths), len(md.Marriages), len(md.Pregnancies), len(md.ChildScreenings), len(md.Payments))
		return nil
	}
	root.AddCommand(load)
}
