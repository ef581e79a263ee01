package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"shanyu/policy"
	"shanyu/source/postgis"
)

// runImportPolicy imports a county's policy file (policy.json, in the form
// of policy/policy.schema.json): it replaces the policy the API serves and
// every target and money rule coverage, costs and the scorecard use.
func runImportPolicy(ctx context.Context, opts *Options, path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "shanyu import:", err)
		return 1
	}
	p, err := policy.Parse(b)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v; nothing imported (the form is policy/policy.schema.json)\n", path, err)
		return 1
	}
	pool, err := pgxpool.New(ctx, opts.databaseURL())
	if err != nil {
		fmt.Fprintln(os.Stderr, "shanyu import:", err)
		return 1
	}
	defer pool.Close()
	sum := sha256.Sum256(b)
	if err := postgis.ImportPolicy(ctx, pool, p, filepath.Base(path), hex.EncodeToString(sum[:])); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v; nothing imported\n", path, err)
		return 1
	}
	fmt.Printf("%s: policy %s (%s): %d targets, %d money rules\n", path, p.ID, p.TitleZh, len(p.Targets), len(p.Money))
	return 0
}
