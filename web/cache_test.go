package web

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestModelCacheOnce: concurrent requests for one key compute it once.
func TestModelCacheOnce(t *testing.T) {
	var hits, misses atomic.Int32
	c := NewModelCache[int](4, func(hit bool) {
		if hit {
			hits.Add(1)
		} else {
			misses.Add(1)
		}
	})
	var computed atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(context.Background(), "v1", "k", func(context.Context) (int, error) {
				computed.Add(1)
				<-release
				return 42, nil
			})
			if v != 42 || err != nil {
				t.Errorf("get = %d, %v", v, err)
			}
		}()
	}
	time.Sleep(10 * time.Millisecond)
	close(release)
	wg.Wait()
	if computed.Load() != 1 || misses.Load() != 1 || hits.Load() != 7 {
		t.Errorf("computed %d times, %d misses, %d hits", computed.Load(), misses.Load(), hits.Load())
	}
}

// TestModelCacheBounded: the cache keeps at most max entries, drops the
// least recently used, keeps no failures, and a reload drops the old
// version's entries.
func TestModelCacheBounded(t *testing.T) {
	c := NewModelCache[string](3, nil)
	n := 0
	get := func(version, key string) string {
		v, _ := c.Get(context.Background(), version, key, func(context.Context) (string, error) {
			n++
			return version + key, nil
		})
		return v
	}
	for _, k := range []string{"a", "b", "c", "a", "d"} { // b is the least recent when d comes
		get("v1", k)
	}
	if c.Len() != 3 || n != 4 {
		t.Fatalf("%d entries, %d computations", c.Len(), n)
	}
	get("v1", "a")
	if n != 4 {
		t.Errorf("a was dropped, though recently used")
	}
	get("v1", "b")
	if n != 5 {
		t.Errorf("b was kept beyond the bound")
	}
	if _, err := c.Get(context.Background(), "v1", "bad", func(context.Context) (string, error) {
		return "", errors.New("bad")
	}); err == nil || c.Len() != 3 {
		t.Errorf("a failure: %v, %d entries", err, c.Len())
	}
	get("v2", "a")
	c.Retain("v2")
	if c.Len() != 1 {
		t.Errorf("%d entries after a reload to v2, want 1", c.Len())
	}
	if get("v2", "a") != "v2a" || get("v1", "a") != "v1a" {
		t.Error("versions mixed")
	}
}

// TestModelCacheLeaderLeaves: when the client whose request computes an
// answer leaves, the computation stops, and a client still waiting for the
// same answer computes it itself.
func TestModelCacheLeaderLeaves(t *testing.T) {
	c := NewModelCache[int](4, nil)
	leader, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	var leaderErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, leaderErr = c.Get(leader, "v", "k", func(ctx context.Context) (int, error) {
			close(started)
			<-ctx.Done()
			return 0, ctx.Err()
		})
	}()
	<-started
	waiter := make(chan string)
	go func() {
		v, err := c.Get(context.Background(), "v", "k", func(context.Context) (int, error) { return 7, nil })
		waiter <- fmt.Sprint(v, err)
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	<-done
	if !errors.Is(leaderErr, context.Canceled) {
		t.Errorf("leader: %v", leaderErr)
	}
	if got := <-waiter; got != "7 <nil>" {
		t.Errorf("waiter got %s", got)
	}
}
