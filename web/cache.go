package web

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// DefaultCacheEntries bounds the model cache: answers of the heavy
// operations for that many (snapshot, operation, parameters) at most, the
// least recently used going first. Each entry is at most a few hundred
// regions or suggestions.
const DefaultCacheEntries = 128

// ModelCache computes each heavy answer once per (snapshot version,
// operation, parameters) and keeps the most recently used. Concurrent
// requests for the same key wait for one computation instead of starting
// their own. A computation runs on its first requester's context: if that
// client leaves, the computation stops and a waiter still there starts it
// again. Failed computations are not kept.
type ModelCache[V any] struct {
	mu      sync.Mutex
	max     int
	order   *list.List // of *cacheEntry[V], most recent first
	entries map[string]*list.Element
	counted func(hit bool)
}

type cacheEntry[V any] struct {
	key     string
	version string
	done    chan struct{}
	val     V
	err     error
}

func NewModelCache[V any](max int, counted func(hit bool)) *ModelCache[V] {
	if counted == nil {
		counted = func(bool) {}
	}
	return &ModelCache[V]{max: max, order: list.New(), entries: map[string]*list.Element{}, counted: counted}
}

// Get returns the value for key in snapshot version, computing it with
// compute when it is not there.
func (c *ModelCache[V]) Get(ctx context.Context, version, key string, compute func(context.Context) (V, error)) (V, error) {
	key = version + "\x00" + key
	for {
		c.mu.Lock()
		if el, ok := c.entries[key]; ok {
			c.order.MoveToFront(el)
			e := el.Value.(*cacheEntry[V])
			c.mu.Unlock()
			c.counted(true)
			select {
			case <-e.done:
			case <-ctx.Done():
				var zero V
				return zero, ctx.Err()
			}
			if e.err != nil && IsCanceled(e.err) && ctx.Err() == nil {
				continue // its first requester left; compute it for this one
			}
			return e.val, e.err
		}
		e := &cacheEntry[V]{key: key, version: version, done: make(chan struct{})}
		c.entries[key] = c.order.PushFront(e)
		c.mu.Unlock()
		c.counted(false)

		e.val, e.err = compute(ctx)
		close(e.done)
		c.mu.Lock()
		if el, ok := c.entries[key]; ok && el.Value == e && e.err != nil {
			c.drop(el)
		}
		for c.order.Len() > c.max {
			c.drop(c.order.Back())
		}
		c.mu.Unlock()
		return e.val, e.err
	}
}

// Retain drops every entry of another snapshot version, so a reload frees
// the old snapshot's answers (and the snapshot they point into) at once.
func (c *ModelCache[V]) Retain(version string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*cacheEntry[V]).version != version {
			c.drop(el)
		}
		el = next
	}
}

// Len returns the number of entries.
func (c *ModelCache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *ModelCache[V]) drop(el *list.Element) {
	c.order.Remove(el)
	delete(c.entries, el.Value.(*cacheEntry[V]).key)
}

func IsCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
