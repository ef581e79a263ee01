// Package source is where a county's dataset comes from: a bundle of files
// (source/bundle), the PostGIS system of record (source/postgis), filled by
// the importers of offices' files (source/imports). Each source loads a
// whole county.Dataset with its content version; a source that can change
// while the service runs also says when it may have changed. Follow is the
// one loop that turns those changes into fresh snapshots.
//
// Persistence lives here and below; the analysis (package coverage) and the
// API never do, and no source imports them.
package source

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"shanyu/county"
)

// Source loads a whole dataset.
type Source interface {
	// Load reads the dataset in one consistent view, validates it and
	// returns it with its content version: equal data, equal version,
	// whichever source it came from.
	Load(ctx context.Context) (*county.Dataset, string, error)
}

// Watcher is a source that can change while the service runs.
type Watcher interface {
	Source
	// Watch signals on changed after every committed change, and once each
	// time it (re)connects, since changes made while it was away are lost.
	// It calls down with the reason whenever the source becomes
	// unreachable, retries on its own, and returns when ctx ends. It never
	// blocks on changed: a signal already pending stands for the new one.
	Watch(ctx context.Context, changed chan<- struct{}, down func(error))
}

// ErrRefused marks a load error that retrying cannot mend (a database role
// that could write, say): Follow stops and returns it.
var ErrRefused = errors.New("source refused")

// Follow keeps a service in step with w until ctx ends. It is the only
// place where datasets are loaded while serving: one goroutine receives the
// change signals, loads, builds and hands each result to swap, in order, so
// an older load can never replace a newer one. Signals that arrive during a
// load collapse into one more load. A failed load keeps the last swapped
// value in service and calls down, as an unreachable source does; an
// error wrapping ErrRefused ends Follow with that error.
func Follow[T any](ctx context.Context, w Watcher, log *slog.Logger, build func(*county.Dataset, string) T,
	swap func(T), down func(error)) error {
	changed := make(chan struct{}, 1)
	watchDone := make(chan struct{})
	wctx, stopWatch := context.WithCancel(ctx)
	defer func() { stopWatch(); <-watchDone }()
	go func() {
		defer close(watchDone)
		w.Watch(wctx, changed, down)
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
		start := time.Now()
		ds, version, err := w.Load(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, ErrRefused):
			return err
		case err != nil:
			log.Warn("loading the data failed; serving the last snapshot", "error", err)
			down(err)
			continue
		}
		swap(build(ds, version))
		log.Info("snapshot loaded", "version", version, "took_ms", time.Since(start).Milliseconds())
	}
}

// Signal sends on changed unless a signal is already pending.
func Signal(changed chan<- struct{}) {
	select {
	case changed <- struct{}{}:
	default:
	}
}
