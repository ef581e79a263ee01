package postgis

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"shanyu/county"
	"shanyu/source"
	"shanyu/source/bundle"
)

// Source is the system of record as a source.Watcher: it loads the whole
// dataset from the database at URL and watches Channel for committed
// imports and publications.
type Source struct {
	URL string
	// RequireReadOnly refuses to load through a role that can write (see
	// CheckReadOnly): the role a public service connects with must only read.
	RequireReadOnly bool
	Log             *slog.Logger
}

// Load reads the dataset in one consistent, read-only transaction and
// returns it with its version. The version hashes the canonical encoding,
// so the sample loaded from PostGIS has the version of the bundle it came
// from. A role that can write, with RequireReadOnly, is an error wrapping
// source.ErrRefused.
func (s *Source) Load(ctx context.Context) (*county.Dataset, string, error) {
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close(context.Background())
	if s.RequireReadOnly {
		if err := CheckReadOnly(ctx, conn); err != nil {
			return nil, "", fmt.Errorf("%w: %w", source.ErrRefused, err)
		}
	}
	return loadDataset(ctx, conn)
}

// loadDataset reads and validates the dataset in one repeatable-read,
// read-only transaction, and computes its version.
func loadDataset(ctx context.Context, db interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}) (*county.Dataset, string, error) {
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	// The facilities come sorted by id: enough memory to sort a million
	// rows in memory rather than in temporary files, and no JIT compilation
	// (a tenth of a second to compile plain scans).
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off"); err != nil {
		return nil, "", err
	}
	ds, err := Load(ctx, tx)
	if err != nil {
		return nil, "", err
	}
	if err := county.Validate(ds); err != nil {
		return nil, "", fmt.Errorf("the database holds data shanyu refuses: %w", err)
	}
	v, err := bundle.Version(ds)
	if err != nil {
		return nil, "", err
	}
	return ds, v, nil
}

// Watch listens on Channel and signals changed after every notification,
// and once at the start of every (re)connection, since notifications sent
// while it was away are lost. When the connection drops it calls down with
// the reason, then reconnects with exponential backoff (capped at 30 s)
// until ctx ends. It only signals; loading is source.Follow's job, so no
// load outlives the connection that asked for it.
func (s *Source) Watch(ctx context.Context, changed chan<- struct{}, down func(error)) {
	const maxBackoff = 30 * time.Second
	backoff := 250 * time.Millisecond
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for ctx.Err() == nil {
		err := listen(ctx, s.URL, changed, func() { backoff = 250 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		down(err)
		log.Warn("database unreachable; serving the last snapshot", "error", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listen holds one LISTEN connection until it fails or ctx ends.
func listen(ctx context.Context, url string, changed chan<- struct{}, connected func()) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return err
	}
	connected()
	source.Signal(changed)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		source.Signal(changed)
	}
}
