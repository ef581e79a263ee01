package postgis

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"shanyu/snapshot"
)

// Watch listens on Channel and calls reload after every notification, and
// once at the start of every (re)connection, since notifications sent while
// it was away are lost. When the connection drops it calls down with the
// reason, then reconnects with exponential backoff (capped at maxBackoff)
// until ctx ends. Notifications that arrive together cause one reload.
func Watch(ctx context.Context, connString string, log *slog.Logger, reload func(context.Context) error, down func(error)) {
	const maxBackoff = 30 * time.Second
	backoff := 250 * time.Millisecond
	for ctx.Err() == nil {
		err := watchOnce(ctx, connString, reload, func() { backoff = 250 * time.Millisecond })
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

func watchOnce(ctx context.Context, connString string, reload func(context.Context) error, connected func()) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return err
	}
	if err := reload(ctx); err != nil {
		return err
	}
	connected()
	// Notifications that arrive while a reload runs collapse into one more
	// reload: pending holds at most one.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	pending := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-pending:
				if err := reload(ctx); err != nil {
					cancel(err)
					return
				}
			}
		}
	}()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
				return cause
			}
			return err
		}
		select {
		case pending <- struct{}{}:
		default:
		}
	}
}

// Follow keeps a service's snapshot in step with the database at
// connString: it loads a snapshot at the start of every connection and
// after every committed import or publication, and hands each to use. While
// the database is away it calls down with the reason and keeps retrying
// (see Watch); the service keeps its last snapshot meanwhile. It returns
// when ctx ends.
func Follow(ctx context.Context, connString string, log *slog.Logger, use func(*snapshot.Snapshot), down func(error)) {
	Watch(ctx, connString, log, func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, connString)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		start := time.Now()
		snap, err := LoadSnapshot(ctx, conn)
		if err != nil {
			return err
		}
		log.Info("snapshot loaded from the database", "version", snap.Version, "took_ms", time.Since(start).Milliseconds())
		use(snap)
		return nil
	}, down)
}
