package web

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/netutil"
)

// Connection limits of the service (see docs/operations.md).
const (
	// MaxConnectionsCeiling bounds the connection cap whatever the
	// descriptor limit: an open connection holds about 25 KB (buffers and
	// its goroutine), so 4,096 of them hold about 100 MB.
	MaxConnectionsCeiling = 4096
	// reservedDescriptors are kept for everything else: the database pool,
	// files, the listener itself.
	reservedDescriptors = 64
	// IdleTimeout closes a keep-alive connection idle this long.
	IdleTimeout = 15 * time.Second
	// ReadHeaderTimeout closes a connection that has not sent its request
	// headers this long after it opened (or after its last answer).
	ReadHeaderTimeout = 5 * time.Second
)

// MaxConnections returns the cap on open connections for this process:
// half its descriptor limit (RLIMIT_NOFILE, which Go raises to the hard
// limit at start), less a reserve, at most MaxConnectionsCeiling and at
// least 16.
func MaxConnections() int {
	var rl syscall.Rlimit
	n := MaxConnectionsCeiling
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err == nil && rl.Cur < 1<<31 {
		n = min(n, int(rl.Cur)/2-reservedDescriptors)
	}
	return max(n, 16)
}

// NewHTTPServer returns the service's HTTP server for handler: timeouts for
// slow clients, a short idle timeout, and header limits.
func NewHTTPServer(addr string, handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           handler,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second, // bulk downloads of a large province
		IdleTimeout:       IdleTimeout,
		// The server cuts headers beyond this (plus 4 KiB) with a plain
		// 431; up to it, SecurityHeaders answers MaxHeaderBytes+ with a
		// problem.
		MaxHeaderBytes: 2 * MaxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Listen listens on hs.Addr with at most limit connections open at once:
// the next client waits in the kernel's accept queue until one closes.
// When more than ¾ of them are open, hs stops keeping connections alive
// and closes the idle ones, so that idle keep-alive connections cannot
// keep new clients out; below ½ it keeps them alive again.
func Listen(hs *http.Server, limit int) (net.Listener, error) {
	ln, err := net.Listen("tcp", hs.Addr)
	if err != nil {
		return nil, err
	}
	return limitListener(ln, hs, limit), nil
}

func limitListener(ln net.Listener, hs *http.Server, limit int) net.Listener {
	return &crowdListener{Listener: netutil.LimitListener(ln, limit), hs: hs,
		high: int64(max(1, limit*3/4)), low: int64(limit / 2)}
}

// crowdListener counts open connections and switches keep-alives off
// while the server is crowded.
type crowdListener struct {
	net.Listener
	hs        *http.Server
	open      atomic.Int64
	high, low int64
	mu        sync.Mutex // guards crowded
	crowded   bool
	toggle    sync.Mutex // serialises the switches of hs's keep-alives
}

func (l *crowdListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.set(l.open.Add(1))
	return &countedConn{Conn: c, l: l}, nil
}

// set records the number of open connections and switches keep-alives
// when it crosses a threshold. The switch runs on its own goroutine: it
// closes idle connections, whose Close calls set again.
func (l *crowdListener) set(open int64) {
	l.mu.Lock()
	changed := false
	switch {
	case !l.crowded && open >= l.high:
		l.crowded, changed = true, true
	case l.crowded && open <= l.low:
		l.crowded, changed = false, true
	}
	l.mu.Unlock()
	if changed {
		go l.apply()
	}
}

// apply makes hs's keep-alives follow the latest crowded state.
func (l *crowdListener) apply() {
	l.toggle.Lock()
	defer l.toggle.Unlock()
	l.mu.Lock()
	crowded := l.crowded
	l.mu.Unlock()
	l.hs.SetKeepAlivesEnabled(!crowded) // false also closes the idle connections
}

type countedConn struct {
	net.Conn
	l    *crowdListener
	once sync.Once
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.set(c.l.open.Add(-1)) })
	return err
}
