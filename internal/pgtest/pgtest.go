// Package pgtest gives tests a real PostgreSQL + PostGIS: the server named by
// SHANYU_TEST_DATABASE_URL (a superuser connection string) when it is set,
// else a throwaway cluster it starts itself with initdb and pg_ctl on a free
// loopback port. Each test gets its own database, cloned from a template
// migrated once (pgtestdb). It never skips: with no server and no initdb it
// fails and says what to install.
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for pgtestdb
	"github.com/peterldowns/pgtestdb"

	"shanyu/source/postgis"
)

// EnvURL names an existing server to test against instead of a throwaway one.
const EnvURL = "SHANYU_TEST_DATABASE_URL"

var (
	adminURL string // superuser connection string to the maintenance database
	stop     func()
)

// Main runs a package's tests with a server: call it from TestMain.
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	if err := start(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// AdminURL is a superuser connection string to the server's "postgres"
// database.
func AdminURL() string { return adminURL }

func start() error {
	if u := os.Getenv(EnvURL); u != "" {
		adminURL, stop = u, func() {}
		return nil
	}
	bin, err := findBin()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "shanyu-pg-")
	if err != nil {
		return err
	}
	// initdb and pg_ctl refuse to run as root: run them as postgres.
	asUser := func(name string, args ...string) *exec.Cmd {
		return exec.Command(filepath.Join(bin, name), args...)
	}
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root needs a postgres user to start the test server: %w", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
		asUser = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(bin, name)}, args...)...)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asUser("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if out, err := asUser("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	adminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	stop = func() {
		_ = asUser("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run()
		_ = os.RemoveAll(dir)
	}
	return nil
}

// findBin finds the directory of initdb: on PATH, else the newest
// /usr/lib/postgresql/*/bin (Debian's layout).
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("no initdb found: install PostgreSQL and PostGIS (Debian: postgresql postgresql-15-postgis-3; scripts/install-test-deps does it) or set %s", EnvURL)
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// migrator gives pgtestdb shanyu's migrations.
type migrator struct{}

func (migrator) Hash() (string, error) { return postgis.MigrationsHash() }

func (migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	conn, err := pgx.Connect(ctx, conf.URL())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return postgis.Migrate(ctx, conn, -1)
}

// empty makes a database with no migration, for migration tests.
type empty struct{}

func (empty) Hash() (string, error) { return "empty-postgis-1", nil }

func (empty) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	_, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS postgis")
	return err
}

func config(t testing.TB) pgtestdb.Config {
	t.Helper()
	if adminURL == "" {
		t.Fatal("pgtest: no server; call pgtest.Main from the package's TestMain")
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       u.Hostname(), Port: u.Port(), User: u.User.Username(), Password: pw,
		Database: strings.TrimPrefix(u.Path, "/"), Options: u.RawQuery,
		// The owner runs migrations (CREATE EXTENSION, CREATE ROLE) as a
		// deployment's administrator would.
		TestRole:                  &pgtestdb.Role{Username: "shanyu_test_owner", Password: "owner", Capabilities: "SUPERUSER"},
		ForceTerminateConnections: true,
	}
}

// DB returns the connection string of a fresh, migrated database for t,
// dropped when t passes.
func DB(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, config(t), migrator{}).URL()
}

// EmptyDB returns a fresh database with PostGIS and no migration applied.
func EmptyDB(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, config(t), empty{}).URL()
}

// ReaderURL creates (once) a login role that is a member of shanyu_reader
// only, and returns dbURL with that role: the API's connection.
func ReaderURL(t testing.TB, dbURL string) string {
	t.Helper()
	return roleURL(t, dbURL, "shanyu_test_api", "IN ROLE shanyu_reader")
}

// WriterURL returns dbURL for a non-superuser login role that may also
// write public_data: what serve must refuse.
func WriterURL(t testing.TB, dbURL string) string {
	t.Helper()
	u := roleURL(t, dbURL, "shanyu_test_writer", "IN ROLE shanyu_reader")
	exec := func(q string) {
		conn, err := pgx.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`GRANT INSERT ON public_data.childcare TO shanyu_test_writer`)
	return u
}

// PrivateReaderURL returns dbURL for a login role that can read the
// private schema: what serve must refuse too.
func PrivateReaderURL(t testing.TB, dbURL string) string {
	t.Helper()
	u := roleURL(t, dbURL, "shanyu_test_snoop", "IN ROLE shanyu_reader")
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `GRANT USAGE ON SCHEMA private TO shanyu_test_snoop`); err != nil {
		t.Fatal(err)
	}
	return u
}

func roleURL(t testing.TB, dbURL, role, options string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// Roles belong to the cluster: create once, tolerate a concurrent creator.
	_, err = conn.Exec(ctx, fmt.Sprintf(`DO $$ BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') THEN
			CREATE ROLE %s LOGIN PASSWORD 'test' %s;
		END IF;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
	END $$`, role, role, options))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(dbURL)
	u.User = url.UserPassword(role, "test")
	return u.String()
}

// Hash returns a short hash of b, for import logs in tests.
func Hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:8])
}

// Wait polls cond every 20 ms until it holds or d passes.
func Wait(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}
