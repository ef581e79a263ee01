// Command static is the floor for shanyu's load benchmark: a minimal HTTP
// server that answers every GET with the same fixed bytes, so that the
// cost of serving a body of that size on this machine (sockets, HTTP,
// scheduling) can be measured apart from producing it.
//
//	go run ./tools/static -addr 127.0.0.1:18090 -body answer.json -type application/json
//
// It listens on loopback only.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address (loopback only)")
	body := flag.String("body", "", "file whose bytes every answer carries")
	ctype := flag.String("type", "application/json", "Content-Type of the answers")
	flag.Parse()
	if err := run(*addr, *body, *ctype); err != nil {
		fmt.Fprintln(os.Stderr, "static:", err)
		os.Exit(1)
	}
}

func run(addr, file, ctype string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address; the floor server listens on this machine only", host)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	length := strconv.Itoa(len(b))
	return http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{ctype}
		h["Content-Length"] = []string{length}
		_, _ = w.Write(b)
	}))
}
