package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"shanyu/api"
	"shanyu/data/sample"
	"shanyu/store"
	"shanyu/store/files"
	"shanyu/store/postgis"
)

// followDatabase checks that the role can only read, then keeps srv's
// snapshot in step with the database in the background. It returns at
// once: while the first load is pending, /readyz answers 503 and says why.
func followDatabase(ctx context.Context, dbURL string, srv *api.Server, log *slog.Logger) error {
	check := func() error {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(cctx, dbURL)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		return postgis.CheckReadOnly(cctx, conn)
	}
	// A role that can write is refused outright; a database that is down is
	// waited for (Follow retries with backoff).
	if err := check(); errors.Is(err, postgis.ErrNotReadOnly) {
		return err
	} else if err != nil {
		log.Warn("database unreachable at start; retrying in the background", "error", err)
		srv.Degrade("the database is unreachable; retrying")
	}
	checked := false
	go postgis.Follow(ctx, dbURL, log, func(snap *store.Snapshot) {
		if !checked {
			if err := check(); errors.Is(err, postgis.ErrNotReadOnly) {
				log.Error("refusing to serve", "error", err)
				os.Exit(1)
			}
			checked = true
		}
		srv.Swap(snap)
	}, func(err error) {
		srv.Degrade("the database is unreachable since the last snapshot; serving that snapshot")
	})
	return nil
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

	root.AddCommand(&cobra.Command{
		Use:   "import-bundle [DIR]",
		Short: "Replace the database's data with a bundle (default: the bundled sample county), in one transaction",
		Args:  cobra.MaximumNArgs(1),
		Run: func(cmd *cobra.Command, args []string) {
			fsys, source := sample.Bundle(), "sample"
			if len(args) == 1 {
				fsys, source = os.DirFS(args[0]), args[0]
			}
			ds, err := files.Read(fsys)
			fail("import-bundle", err)
			version, err := files.Version(ds)
			fail("import-bundle", err)
			pool, err := pgxpool.New(cmd.Context(), opts().databaseURL())
			fail("import-bundle", err)
			defer pool.Close()
			res, err := postgis.ReplaceAll(cmd.Context(), pool, ds, source, version)
			fail("import-bundle", err)
			fmt.Printf("imported %s: %d rows, dataset version %s\n", source, res.Rows, version)
		},
	})

	root.AddCommand(&cobra.Command{
		Use:   "export DIR",
		Short: "Write the data as a bundle: from the database when one is named, else the bundled sample",
		Args:  cobra.ExactArgs(1),
		Run: func(cmd *cobra.Command, args []string) {
			var ds *store.Dataset
			var err error
			if opts().databaseURL() != "" {
				conn, cerr := connect(cmd.Context(), opts())
				fail("export", cerr)
				defer conn.Close(context.Background())
				ds, err = postgis.Load(cmd.Context(), conn)
			} else {
				ds, err = files.Read(sample.Bundle())
			}
			fail("export", err)
			readme, err := fs.ReadFile(sample.Bundle(), "README.md")
			fail("export", err)
			if !ds.Meta.Sample {
				readme = []byte("# " + ds.Meta.Title + "\n\nA shanyu bundle exported from PostGIS. " +
					"Its files and columns are those of the sample county's bundle (data/sample/bundle/README.md in the project); " +
					"dataset.json names the data's sources and licence.\n")
			}
			fail("export", files.Write(args[0], ds, map[string][]byte{"README.md": readme}))
			v, _ := files.Version(ds)
			fmt.Printf("wrote %s: dataset version %s\n", args[0], v)
		},
	})
}
