package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"shanyu/internal/pgtest"
)

// TestServeStopsGracefully builds the binary, serves the sample on a free
// port, and stops it with SIGTERM: it exits 0 after logging that it stopped.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shanyu-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "shanyu")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := pgtest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary is the shanyu command built once for these tests.
var binary string

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestServeStopsGracefully(t *testing.T) {
	bin := binary
	port := freePort(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--port", fmt.Sprint(port))
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs <- sc.Text()
		}
		close(logs)
	}()

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	var ready bool
	for i := 0; i < 100 && !ready; i++ {
		if res, err := http.Get(base + "/readyz"); err == nil {
			ready = res.StatusCode == 200
			res.Body.Close()
		}
		if !ready {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ready {
		t.Fatal("the server never became ready")
	}
	res, err := http.Get(base + "/api/v1/facilities?near=119.06,27.62&kind=childcare&limit=5")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"distance_m"`) {
		t.Fatalf("nearby search: %d %s", res.StatusCode, body)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM the server exited with %v, want 0", err)
	}
	var all []string
	for l := range logs {
		all = append(all, l)
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{`"msg":"snapshot loaded"`, `"msg":"request"`, `"request_id"`, `"latency_ms"`, `"msg":"stopped"`} {
		if !strings.Contains(text, want) {
			t.Errorf("logs lack %s:\n%s", want, text)
		}
	}
}
