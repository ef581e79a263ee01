package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"shanyu/policy"
)

const (
	qPolicy       = `SELECT body FROM public_data.policy WHERE id = 1`
	qDeletePolicy = `DELETE FROM public_data.policy`
	qSavePolicy   = `INSERT INTO public_data.policy (id, body, imported_at) VALUES (1, $1, now())
		ON CONFLICT (id) DO UPDATE SET body = excluded.body, imported_at = now()`
)

// savePolicy stores p, or removes the stored policy when p is nil.
func savePolicy(ctx context.Context, tx pgx.Tx, p *policy.Policy) error {
	if p == nil {
		_, err := tx.Exec(ctx, qDeletePolicy)
		return err
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, qSavePolicy, body)
	return err
}

func loadPolicy(ctx context.Context, q Querier) (*policy.Policy, error) {
	var body []byte
	switch err := q.QueryRow(ctx, qPolicy).Scan(&body); {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("policy: %w", err)
	}
	p, err := policy.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("the stored policy: %w", err)
	}
	return p, nil
}

// ImportPolicy replaces the county's policy with p in one transaction: the
// policy's county must be the county of the imported regions when there
// are any. It logs the import and running servers reload on commit.
func ImportPolicy(ctx context.Context, db interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}, p *policy.Policy, source, sha string) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	rows, _ := tx.Query(ctx, `SELECT code FROM public_data.region WHERE level = 'county' ORDER BY code`)
	counties, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if len(counties) > 0 && !contains(counties, p.CountyCode) {
		return fmt.Errorf("%w: its county_code %s is not the county of the imported regions (%v)", policy.ErrInvalid, p.CountyCode, counties)
	}
	if err := savePolicy(ctx, tx, p); err != nil {
		return err
	}
	if err := finish(ctx, tx, "policy", source, sha, ImportResult{Rows: 1, Updated: 1}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
