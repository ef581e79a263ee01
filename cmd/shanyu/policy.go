package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"shanyu/policy"
	"shanyu/source/postgis"
)

// runImportPolicy imports a county's policy file (policy.json, in the form
// of policy/policy.schema.json): it replaces the policy the API serves and
// every target and money rule coverage, costs and the scorecard use.
func runImportPolicy(ctx context.Context, url *string, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	p, err := policy.Parse(b)
	if err != nil {
		return fmt.Errorf("import: %s: %w; nothing imported (the form is policy/policy.schema.json)", path, err)
	}
	pool, err := newPool(ctx, url)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer pool.Close()
	sum := sha256.Sum256(b)
	if err := postgis.ImportPolicy(ctx, pool, p, filepath.Base(path), hex.EncodeToString(sum[:])); err != nil {
		return fmt.Errorf("import: %s: %w; nothing imported", path, err)
	}
	fmt.Printf("%s: policy %s (%s): %d targets, %d money rules\n", path, p.ID, p.TitleZh, len(p.Targets), len(p.Money))
	return nil
}
