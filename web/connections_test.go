package web

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

func serveLimited(t *testing.T, limit int) (string, *http.Server) {
	t.Helper()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	hs := NewHTTPServer("127.0.0.1:0", ok, slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", hs.Addr)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(limitListener(ln, hs, limit)) }()
	t.Cleanup(func() { _ = hs.Close() })
	return "http://" + ln.Addr().String() + "/", hs
}

func fetch(url string, timeout time.Duration) error {
	c := &http.Client{Timeout: timeout, Transport: &http.Transport{}}
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	return res.Body.Close()
}

// TestConnectionCap: no more than the cap of connections are served at
// once; the next client waits until one closes.
func TestConnectionCap(t *testing.T) {
	url, _ := serveLimited(t, 2)
	addr := url[len("http://") : len(url)-1]
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	time.Sleep(50 * time.Millisecond) // let the server accept both
	if err := fetch(url, 300*time.Millisecond); err == nil {
		t.Fatal("a third connection was served while two were open")
	}
	_ = held[0].Close()
	if err := fetch(url, 3*time.Second); err != nil {
		t.Errorf("after one closed: %v", err)
	}
	_ = held[1].Close()
}

// TestIdleConnectionsGiveWay: clients that keep their connections alive
// and idle cannot fill the cap: once it is ¾ full the server closes idle
// connections, and a new client is answered at once rather than after the
// idle timeout.
func TestIdleConnectionsGiveWay(t *testing.T) {
	url, _ := serveLimited(t, 4)
	var transports []*http.Transport
	for range 4 {
		tr := &http.Transport{}
		transports = append(transports, tr)
		res, err := (&http.Client{Transport: tr, Timeout: 3 * time.Second}).Get(url)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close() // the connection stays open, idle, in tr's pool
	}
	if err := fetch(url, 3*time.Second); err != nil {
		t.Errorf("a new client behind 4 idle keep-alive connections: %v", err)
	}
	for _, tr := range transports {
		tr.CloseIdleConnections()
	}
}
