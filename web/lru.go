package web

import (
	"container/list"
	"sync"
)

// EntryOverhead approximates what a BytesLRU entry costs beyond its bytes.
const EntryOverhead = 128

// BytesLRU is a least-recently-used cache of byte slices bounded in bytes,
// safe for concurrent use; its zero value is empty and ready. A nil slice
// is a value like any other (an empty tile, say).
type BytesLRU[K comparable] struct {
	mu    sync.Mutex // guards the fields below
	bytes int
	order *list.List // front: most recently used; values are *lruEntry[K]
	byKey map[K]*list.Element
}

type lruEntry[K comparable] struct {
	key  K
	data []byte
}

// Get returns the bytes kept under k, and marks them used.
func (c *BytesLRU[K]) Get(k K) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[K]).data, true
}

// Put keeps data under k, dropping the least recently used entries until
// the cache holds at most limit bytes. Data larger than limit is not kept;
// a key already present keeps its first data.
func (c *BytesLRU[K]) Put(k K, data []byte, limit int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey, c.order = map[K]*list.Element{}, list.New()
	}
	if _, ok := c.byKey[k]; ok {
		return
	}
	size := len(data) + EntryOverhead
	if size > limit {
		return
	}
	c.byKey[k] = c.order.PushFront(&lruEntry[K]{key: k, data: data})
	c.bytes += size
	for c.bytes > limit {
		last := c.order.Back()
		e := last.Value.(*lruEntry[K])
		c.order.Remove(last)
		delete(c.byKey, e.key)
		c.bytes -= len(e.data) + EntryOverhead
	}
}

// Len returns the number of entries.
func (c *BytesLRU[K]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey)
}

// Bytes returns the bytes the entries are counted as holding.
func (c *BytesLRU[K]) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
