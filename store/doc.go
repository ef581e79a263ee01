// Package store loads and saves shanyu's data and builds the Snapshot the
// API serves from it: an immutable, versioned, indexed copy of one Dataset.
// store/files reads and writes bundles; store/postgis the system of record.
package store
