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
	done := make(chan error, 1)
	go func() {
		done <- source.Follow(ctx, src, log, snapshot.New, srv.Swap, func(error) {
			srv.Degrade("the database is unreachable since the last snapshot; serving that snapshot")
		})
	}()
	return done, nil
}

func connect(ctx context.Context, opts *Options) (*pgx.Conn, error) {
	u := opts.databaseURL()
	if u == "" {
		return nil, errors.New("no database: set DATABASE_URL or --database-url")
	}
	return pgx.Connect(ctx, u)
}

func addDatabaseCommands(root *cobra.Command, opts func() *Options) {
	fail := func(what string, err error) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "shanyu %s: %v\n", what, err)
			os.Exit(1)
		}
	}
	migrateCmd := &cobra.Command{Use: "migrate", Short: "Manage the PostGIS schema (up, down, status)"}
	migrateCmd.AddCommand(
		&cobra.Command{Use: "up", Short: "Apply every migration not yet applied", Args: cobra.NoArgs,
			Run: func(cmd *cobra.Command, _ []string) {
				conn, err := connect(cmd.Context(), opts())
				fail("migrate up", err)
				defer conn.Close(context.Background())
				fail("migrate up", postgis.Migrate(cmd.Context(), conn, -1))
				v, _, err := postgis.MigrationStatus(cmd.Context(), conn)
				fail("migrate up", err)
				fmt.Printf("schema at version %d\n", v)
			}},
		&cobra.Command{Use: "down", Short: "Undo the last migration applied", Args: cobra.NoArgs,
			Run: func(cmd *cobra.Command, _ []string) {
				conn, err := connect(cmd.Context(), opts())
				fail("migrate down", err)
				defer conn.Close(context.Background())
				v, _, err := postgis.MigrationStatus(cmd.Context(), conn)
				fail("migrate down", err)
				if v == 0 {
					fmt.Println("no migration to undo")
					return
				}
				fail("migrate down", postgis.Migrate(cmd.Context(), conn, v-1))
				fmt.Printf("schema at version %d\n", v-1)
			}},
		&cobra.Command{Use: "status", Short: "Show the schema version and the migrations", Args: cobra.NoArgs,
			Run: func(cmd *cobra.Command, _ []string) {
				conn, err := connect(cmd.Context(), opts())
				fail("migrate status", err)
				defer conn.Close(context.Background())
				v, names, err := postgis.MigrationStatus(cmd.Context(), conn)
				fail("migrate status", err)
				for i, n := range names {
					mark := "pending"
					if int32(i) < v {
						mark = "applied"
					}
					fmt.Printf("%3d  %-8s %s\n", i+1, mark, n)
				}
			}},
	)
	root.AddCommand(migrateCmd)
	addImportCommand(root, opts)
	addDescribeCommand(root, opts)
	addTemplateCommand(root)
	addPublishCommands(root, opts)

	var sampleBundle bool
	importBundle := &cobra.Command{
		Use:   "import-bundle DIR | --sample",
		Short: "Replace the database's data with a bundle folder (or, with --sample, the bundled sample county), in one transaction",
		Args:  cobra.MaximumNArgs(1),
		Run: func(cmd *cobra.Command, args []string) {
			var fsys fs.FS
			var source string
			switch {
			case len(args) == 1 && sampleBundle:
				fmt.Fprintln(os.Stderr, "shanyu import-bundle: give a folder or --sample, not both")
				os.Exit(2)
			case len(args) == 1:
				fsys, source = os.DirFS(args[0]), args[0]
			case sampleBundle:
				fsys, source = sample.Bundle(), "sample"
			default:
				fmt.Fprintln(os.Stderr, "shanyu import-bundle: name the bundle folder to load, or --sample to load the "+
					"bundled sample county (made-up data) — it replaces everything in the database")
				os.Exit(2)
			}
			ds, err := bundle.Read(fsys)
			fail("import-bundle", err)
			version, err := bundle.Version(ds)
			fail("import-bundle", err)
			pool, err := pgxpool.New(cmd.Context(), opts().databaseURL())
			fail("import-bundle", err)
			defer pool.Close()
			res, err := postgis.ReplaceAll(cmd.Context(), pool, ds, source, version)
			fail("import-bundle", err)
			fmt.Printf("imported %s: %d rows, dataset version %s\n", source, res.Rows, version)
		},
	}
	importBundle.Flags().BoolVar(&sampleBundle, "sample", false, "load the bundled sample county (made-up data)")
	root.AddCommand(importBundle)

	root.AddCommand(&cobra.Command{
		Use:   "export DIR",
		Short: "Write the data as a bundle: from the database when one is named, else the bundled sample",
		Args:  cobra.ExactArgs(1),
		Run: func(cmd *cobra.Command, args []string) {
			var ds *county.Dataset
			var err error
			if opts().databaseURL() != "" {
				conn, cerr := connect(cmd.Context(), opts())
				fail("export", cerr)
				defer conn.Close(context.Background())
				ds, err = postgis.Load(cmd.Context(), conn)
			} else {
				ds, err = bundle.Read(sample.Bundle())
			}
			fail("export", err)
			readme, err := fs.ReadFile(sample.Bundle(), "README.md")
			fail("export", err)
			if !ds.Meta.Sample {
				readme = []byte("# " + ds.Meta.Title + "\n\nA shanyu bundle exported from PostGIS. " +
					"Its files and columns are those of the sample county's bundle (data/sample/bundle/README.md in the project); " +
					"dataset.json names the data's sources and licence.\n")
			}
			fail("export", bundle.Write(args[0], ds, map[string][]byte{"README.md": readme}))
			v, _ := bundle.Version(ds)
			fmt.Printf("wrote %s: dataset version %s\n", args[0], v)
		},
	})
}

func addImportCommand(root *cobra.Command, opts func() *Options) {
	var kind, closedOn, sheet string
	var gcj02, wgs84, full, dryRun bool
	cmd := &cobra.Command{
		Use:   "import --kind KIND FILE",
		Short: "Import a county office's file (CSV, GB18030 CSV, XLSX or GeoJSON) in one transaction",
		Long: "Import a file of one kind — childcare, nursing_room, regions, population or paediatricians — into PostGIS,\n" +
			"or the county's policy (--kind policy policy.json, in the form of policy/policy.schema.json).\n" +
			"Headers may be in Chinese or English (see README). Every bad row is reported with its line and\n" +
			"reason and then nothing changes. Re-importing the same file changes nothing. With --full, facilities\n" +
			"of the kind that the file leaves out are marked closed on --closed-on (default today), never deleted.",
		Args: cobra.ExactArgs(1),
		Run: func(cmd *cobra.Command, args []string) {
			os.Exit(runImport(cmd.Context(), opts(), kind, args[0], sheet, gcj02, wgs84, full, dryRun, closedOn))
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "regions | population | childcare | nursing_room | paediatricians | policy")
	cmd.Flags().BoolVar(&gcj02, "gcj02", false, "the coordinates are GCJ-02 (Amap, WeChat): convert them to WGS84")
	cmd.Flags().BoolVar(&wgs84, "wgs84", false, "the coordinates are WGS84 (GPS): take them as they are even where they look like GCJ-02")
	cmd.Flags().BoolVar(&full, "full", false, "the file lists every facility of its kind: close those it leaves out")
	cmd.Flags().StringVar(&closedOn, "closed-on", "", "the date facilities left out of a --full import closed (default today)")
	cmd.Flags().StringVar(&sheet, "sheet", "", "the workbook's sheet to read (default: the one whose header names the most columns)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and report what would change, without changing anything")
	root.AddCommand(cmd)
}

func runImport(ctx context.Context, opts *Options, kind, path, sheet string, gcj02, wgs84, full, dryRun bool, closedOn string) int {
	if kind == "policy" {
		return runImportPolicy(ctx, opts, path)
	}
	if gcj02 && wgs84 {
		fmt.Fprintln(os.Stderr, "shanyu import: --gcj02 and --wgs84 contradict each other: state one coordinate system")
		return 2
	}
	spec, ok := imports.Specs[kind]
	if !ok {
		fmt.Fprintf(os.Stderr, "shanyu import: --kind must be one of %v or policy\n", imports.Kinds)
		return 2
	}
	day := county.Today()
	if closedOn != "" {
		d, err := county.ParseDate(closedOn)
		if err != nil {
			fmt.Fprintln(os.Stderr, "shanyu import: --closed-on:", err)
			return 2
		}
		day = d
	}
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "shanyu import:", err)
		return 1
	}
	table, err := imports.ReadSheet(path, b, spec, sheet)
	if err != nil {
		fmt.Fprintf(os.Stderr, "shanyu import: %s: %v\n", path, err)
		return 1
	}
	pool, err := pgxpool.New(ctx, opts.databaseURL())
	if err != nil {
		fmt.Fprintln(os.Stderr, "shanyu import:", err)
		return 1
	}
	defer pool.Close()
	codes, county, err := postgis.RegionContext(ctx, pool)
	if err != nil {
		fmt.Fprintln(os.Stderr, "shanyu import: reading the regions:", err)
		return 1
	}
	if kind == "regions" {
		county = nil
	}
	villages, err := postgis.Villages(ctx, pool)
	if err != nil {
		fmt.Fprintln(os.Stderr, "shanyu import: reading the villages:", err)
		return 1
	}
	rec := imports.Parse(kind, table, imports.Options{GCJ02: gcj02, WGS84: wgs84, Regions: codes, County: county, Villages: villages})
	if len(rec.Unknown) > 0 {
		fmt.Fprintf(os.Stderr, "%s: ignored columns %s (not a %s column)\n", path, strings.Join(rec.Unknown, ", "), kind)
	}
	if len(rec.Problems) > 0 {
		reportProblems(path, rec.Problems)
		return 1
	}
	sum := sha256.Sum256(b)
	res, err := postgis.Import(ctx, pool, rec, postgis.ImportOptions{Full: full, ClosedOn: day, DryRun: dryRun,
		Source: filepath.Base(path), SHA256: hex.EncodeToString(sum[:])})
	var bad *postgis.BadRows
	if errors.As(err, &bad) {
		reportProblems(path, bad.Problems)
		return 1
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v; nothing imported\n", path, err)
		return 1
	}
	note := ""
	if dryRun {
		note = " (dry run: nothing written)"
	}
	fmt.Printf("%s: %d rows — %d new, %d updated, %d closed%s\n", path, res.Rows, res.Inserted, res.Updated, res.Closed, note)
	return 0
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

func addPublishCommands(root *cobra.Command, opts func() *Options) {
	var t, ts float64
	pub := &cobra.Command{
		Use:   "publish",
		Short: "Compute the indicators from the private microdata, protect them and publish them if the audit passes",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			pool, err := pgxpool.New(cmd.Context(), opts().databaseURL())
			if err != nil {
				fmt.Fprintln(os.Stderr, "shanyu publish:", err)
				os.Exit(1)
			}
			defer pool.Close()
			start := time.Now()
			p, err := postgis.Publish(cmd.Context(), pool, indicators.Options{T: t, TSensitive: ts})
			if err != nil {
				fmt.Fprintln(os.Stderr, "shanyu publish: nothing published:", err)
				os.Exit(1)
			}
			fmt.Printf("published release %s: %d cells, %d suppressed, audit passed after %d rounds (%v)\n",
				p.Audit.ID, p.Audit.Cells, p.Audit.Suppressed, p.Audit.Rounds, time.Since(start).Round(time.Second))
		},
	}
	pub.Flags().Float64Var(&t, "t", 5, "primary threshold: counts from 1 to t−1 are hidden")
	pub.Flags().Float64Var(&ts, "t-sensitive", 10, "threshold of the sensitive tables (subsidy recipients)")
	root.AddCommand(pub)
	root.AddCommand(&cobra.Command{
		Use:   "load-sample-microdata",
		Short: "Load the sample county's synthetic microdata into the private schema (after import-bundle)",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			ds, err := bundle.Read(sample.Bundle())
			if err == nil {
				var pool *pgxpool.Pool
				if pool, err = pgxpool.New(cmd.Context(), opts().databaseURL()); err == nil {
					defer pool.Close()
					md := generator.Microdata(ds, generator.DefaultSeed)
					if err = postgis.SaveMicrodata(cmd.Context(), pool, md); err == nil {
						fmt.Printf("loaded %d births, %d deaths, %d marriages, %d pregnancies, %d child screenings, %d payments\n",
							len(md.Births), len(md.Deaths), len(md.Marriages), len(md.Pregnancies), len(md.ChildScreenings), len(md.Payments))
					}
				}
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "shanyu load-sample-microdata:", err)
				os.Exit(1)
			}
		},
	})
}
