package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runBinary runs the built shanyu with args and the environment env added
// to a clean one (no DATABASE_URL, no SERVICE_*), and returns its exit
// status, stdout and stderr.
func runBinary(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "SERVICE_") && !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("shanyu %v did not exit within 30 s (it should fail at once)", args)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

// TestUsageErrors runs the binary for each kind of mistake a person or a
// script makes: each exits with status 2, says what is wrong on stderr and
// writes nothing on stdout.
func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		env  []string
		args []string
		want []string // all in stderr
	}{
		{"unknown command", nil, []string{"serv"}, []string{`unknown command "serv"`, `did you mean "serve"`}},
		{"unknown help topic", nil, []string{"help", "bogus"}, []string{`unknown command "bogus"`}},
		{"unknown subcommand", nil, []string{"migrate", "sideways"}, []string{`unknown command "migrate sideways"`, "up"}},
		{"missing subcommand", nil, []string{"migrate"}, []string{"migrate needs a command"}},
		{"unknown flag", nil, []string{"serve", "--prot", "9000"}, []string{"unknown flag: --prot"}},
		{"root flag", nil, []string{"--port", "9000"}, []string{"unknown flag: --port"}},
		{"flag of another command", nil, []string{"openapi", "--port", "9000"}, []string{"openapi: unknown flag: --port"}},
		{"bad flag value", nil, []string{"serve", "--port", "notanumber"}, []string{"--port", `"notanumber"`}},
		{"port out of range", nil, []string{"serve", "--port", "70000"}, []string{"--port 70000 is not a port"}},
		{"bad log format", nil, []string{"serve", "--log-format", "xml"}, []string{`--log-format "xml"`, "json or text"}},
		{"bad environment value", []string{"SERVICE_PORT=notanumber"}, []string{"serve"}, []string{`SERVICE_PORT="notanumber"`, "--port"}},
		{"data and database", []string{"DATABASE_URL=postgres://127.0.0.1:1/x"}, []string{"serve", "--data", "."}, []string{"--data", "--database-url", "both"}},
		{"base map not http", nil, []string{"serve", "--base-map-url", "ftp://tiles.example.org/{z}/{x}/{y}.png", "--base-map-attribution", "x"}, []string{"not an http(s) URL template"}},
		{"base map without credit", []string{"SERVICE_BASE_MAP_URL=https://tiles.example.org/{z}/{x}/{y}.png"}, []string{"serve"}, []string{"without its attribution"}},
		{"missing argument", nil, []string{"export"}, []string{"export: accepts 1 arg(s), received 0", "shanyu export DIR"}},
		{"extra argument", nil, []string{"openapi", "extra"}, []string{`unknown command "extra"`}},
		{"missing --kind", []string{"DATABASE_URL=postgres://127.0.0.1:1/x"}, []string{"import", "file.csv"}, []string{"--kind is required"}},
		{"unknown --kind", []string{"DATABASE_URL=postgres://127.0.0.1:1/x"}, []string{"import", "--kind", "schools", "file.csv"}, []string{"--kind must be one of", `"schools"`}},
		{"bad --closed-on", []string{"DATABASE_URL=postgres://127.0.0.1:1/x"}, []string{"import", "--kind", "childcare", "--closed-on", "yesterday", "f.csv"}, []string{"--closed-on"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runBinary(t, c.env, c.args...)
			if code != 2 {
				t.Errorf("shanyu %v exited %d, want 2; stderr:\n%s", c.args, code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("shanyu %v: stderr lacks %q:\n%s", c.args, w, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("shanyu %v wrote to stdout on error:\n%s", c.args, stdout)
			}
		})
	}
}

// TestFailuresExitOne: a correctly called command that fails while running
// exits 1 with the reason on stderr.
func TestFailuresExitOne(t *testing.T) {
	for _, c := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"missing bundle", nil, []string{"serve", "--data", "/nonexistent-bundle", "--port", "0"}, "/nonexistent-bundle"},
		{"port taken", []string{"SERVICE_PORT=" + takenPort(t)}, []string{"serve"}, "address already in use"},
		{"missing file", []string{"DATABASE_URL=postgres://127.0.0.1:1/x"}, []string{"import", "--kind", "childcare", "/nonexistent.csv"}, "/nonexistent.csv"},
		{"database down", []string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/none?connect_timeout=1"}, []string{"migrate", "status"}, "127.0.0.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runBinary(t, c.env, c.args...)
			if code != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("shanyu %v exited %d with stderr %q; want 1 and %q", c.args, code, stderr, c.want)
			}
		})
	}
}

// takenPort listens on a loopback port for the rest of the test.
func takenPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// TestDatabaseCommandsNeverGuess runs every command that needs a database
// without one, while the PG* variables point at a listener that counts
// connections: each refuses with status 2, naming --database-url and
// DATABASE_URL, and none connects (pgx with an empty connection string would
// follow PGHOST and PGPORT, or try the default socket).
func TestDatabaseCommandsNeverGuess(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var connections atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			connections.Add(1)
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	pgEnv := []string{"PGHOST=127.0.0.1", "PGPORT=" + port, "PGUSER=nobody", "PGDATABASE=none", "PGCONNECT_TIMEOUT=1"}
	commands := [][]string{
		{"migrate", "up"}, {"migrate", "down"}, {"migrate", "status"},
		{"import-bundle"}, {"import", "--kind", "childcare", "file.csv"},
		{"load-sample-microdata"}, {"publish"},
	}
	for _, args := range commands {
		for _, env := range [][]string{pgEnv, append([]string{"DATABASE_URL="}, pgEnv...)} {
			code, stdout, stderr := runBinary(t, env, args...)
			if code != 2 || !strings.Contains(stderr, "--database-url") || !strings.Contains(stderr, "DATABASE_URL") || stdout != "" {
				t.Errorf("shanyu %v without a database (env %v): exit %d, stderr %q; want 2 naming --database-url and DATABASE_URL", args, env[0], code, stderr)
			}
		}
	}
	if n := connections.Load(); n != 0 {
		t.Errorf("%d connections reached the PG* address: a command guessed a database", n)
	}
	// The listener does count: a command given the address connects to it.
	code, _, _ := runBinary(t, nil, "migrate", "status", "--database-url", "postgres://nobody@127.0.0.1:"+port+"/none?connect_timeout=1")
	if code != 1 || connections.Load() == 0 {
		t.Errorf("migrate status with the listener's address: exit %d, %d connections; want 1 and at least one", code, connections.Load())
	}
}

// TestFlagsBelongToTheirCommand: serve's options are serve's alone, and
// every flag read from the environment names its variable in the --help of
// its command (checked on the binary's own help output).
func TestFlagsBelongToTheirCommand(t *testing.T) {
	code, stdout, _ := runBinary(t, nil, "serve", "--help")
	if code != 0 {
		t.Fatalf("serve --help exited %d", code)
	}
	for _, w := range []string{"--host", "--port", "--data", "--log-format", "--database-url",
		"SERVICE_HOST", "SERVICE_PORT", "SERVICE_DATA", "SERVICE_LOG_FORMAT", "DATABASE_URL"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("serve --help lacks %s:\n%s", w, stdout)
		}
	}
	for _, args := range [][]string{{"import"}, {"migrate", "up"}, {"openapi"}, {"publish"}, {"export"}, {"import-bundle"}} {
		_, out, _ := runBinary(t, nil, append(args, "--help")...)
		for _, not := range []string{"--host", "--port", "--log-format", "--data ", "SERVICE_"} {
			if strings.Contains(out, not) {
				t.Errorf("shanyu %v --help shows serve's %s:\n%s", args, not, out)
			}
		}
	}
	_, out, _ := runBinary(t, nil, "publish", "--help")
	for _, w := range []string{"Needs a database", "DATABASE_URL", "seconds"} {
		if !strings.Contains(out, w) {
			t.Errorf("publish --help lacks %q:\n%s", w, out)
		}
	}

	// Every command of the tree, every flag: its environment variable is in
	// the command's help, and setting it has the flag's effect.
	var walk func(*cobra.Command)
	seen := 0
	walk = func(c *cobra.Command) {
		help := c.UsageString()
		c.Flags().VisitAll(func(f *pflag.Flag) {
			for _, env := range f.Annotations[envAnnotation] {
				seen++
				if !strings.Contains(help, env) {
					t.Errorf("%s --help does not name %s (for --%s)", c.CommandPath(), env, f.Name)
				}
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot())
	if seen < 12 {
		t.Errorf("only %d flags read the environment; serve has 5 and every database command 1", seen)
	}
}

// TestEnvironmentSetsFlags: a variable gives its flag's value, and the
// command line wins over it.
func TestEnvironmentSetsFlags(t *testing.T) {
	t.Setenv("SERVICE_PORT", "9123")
	t.Setenv("SERVICE_LOG_FORMAT", "text")
	root := newRoot()
	serve, _, err := root.Find([]string{"serve"})
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.ParseFlags([]string{"--port", "9124"}); err != nil {
		t.Fatal(err)
	}
	if err := applyEnv(serve); err != nil {
		t.Fatal(err)
	}
	if p := serve.Flags().Lookup("port").Value.String(); p != "9124" {
		t.Errorf("--port 9124 with SERVICE_PORT=9123 gave %s", p)
	}
	if f := serve.Flags().Lookup("log-format").Value.String(); f != "text" {
		t.Errorf("SERVICE_LOG_FORMAT=text gave %s", f)
	}
	var usage usageError
	t.Setenv("SERVICE_PORT", "x")
	serve.Flags().Lookup("port").Changed = false
	if err := applyEnv(serve); !errors.As(err, &usage) {
		t.Errorf("SERVICE_PORT=x: %v, want a usage error", err)
	}
}

// TestRunningDocsMatchFlags: the options table of docs/running.md is serve's
// flags, with their variables and defaults, and nothing else.
func TestRunningDocsMatchFlags(t *testing.T) {
	b, err := os.ReadFile("../../docs/running.md")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	at := strings.Index(page, "## `shanyu serve`")
	if at < 0 {
		t.Fatal("docs/running.md has no section for serve")
	}
	rows := map[string][]string{}
	for _, l := range strings.Split(page[at:], "\n") {
		if !strings.HasPrefix(l, "| `--") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		name := strings.Trim(strings.Split(cells[0], ",")[0], "`-")
		rows[name] = cells
	}
	serve, _, err := newRoot().Find([]string{"serve"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	serve.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" {
			return
		}
		n++
		row, ok := rows[f.Name]
		if !ok {
			t.Errorf("docs/running.md does not list --%s", f.Name)
			return
		}
		if env := f.Annotations[envAnnotation]; len(env) != 1 || row[1] != "`"+env[0]+"`" {
			t.Errorf("--%s: docs say %s, the flag reads %v", f.Name, row[1], env)
		}
		want := "`" + f.DefValue + "`"
		if f.DefValue == "" {
			want = row[2] // no default: the docs say what happens instead
			if !strings.HasPrefix(want, "(") {
				t.Errorf("--%s has no default; docs say %s", f.Name, want)
			}
		}
		if row[2] != want {
			t.Errorf("--%s: docs say default %s, the flag has %s", f.Name, row[2], want)
		}
		if f.Shorthand != "" && !strings.Contains(row[0], "`-"+f.Shorthand+"`") {
			t.Errorf("--%s: docs do not give -%s", f.Name, f.Shorthand)
		}
	})
	if len(rows) != n {
		t.Errorf("docs/running.md lists %d options, serve has %d", len(rows), n)
	}
}
