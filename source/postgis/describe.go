package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"shanyu/county"
)

// ErrDescription wraps what is wrong with a dataset description.
var ErrDescription = errors.New("incomplete dataset description")

var countyCodeRe = regexp.MustCompile(`^[0-9]{6}$`)

// CheckDescription lists what a publisher must still fill in: a title (in
// English or Chinese), the publisher, a licence, a reference date and a
// six-digit county code; every source needs a name.
func CheckDescription(m *county.Meta) error {
	var missing []string
	if m.Title == "" && m.TitleZh == "" {
		missing = append(missing, "a title (--title or --title-zh)")
	}
	if m.Publisher == "" {
		missing = append(missing, "the publisher (--publisher)")
	}
	if m.Licence == "" {
		missing = append(missing, "a licence (--licence, e.g. CC-BY-4.0)")
	}
	if m.ReferenceDate == "" {
		missing = append(missing, "the reference date the figures describe (--reference-date YYYY-MM-DD)")
	} else if _, err := county.ParseDate(string(m.ReferenceDate)); err != nil {
		missing = append(missing, fmt.Sprintf("a reference date: %v", err))
	}
	if !countyCodeRe.MatchString(m.CountyCode) {
		missing = append(missing, fmt.Sprintf("the six-digit county code (--county-code), not %q", m.CountyCode))
	}
	for i, s := range m.Sources {
		if strings.TrimSpace(s.Name) == "" {
			missing = append(missing, fmt.Sprintf("a name for source %d", i+1))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: it needs %s", ErrDescription, strings.Join(missing, "; "))
	}
	return nil
}

// Describe sets the dataset's description in one transaction: generated_at
// is the time of this import, the county code must be a county region of
// the database when it holds regions, and running servers reload on commit.
func Describe(ctx context.Context, db interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}, m county.Meta, source string) error {
	if err := CheckDescription(&m); err != nil {
		return err
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	var counties []string
	rows, _ := tx.Query(ctx, `SELECT code FROM public_data.region WHERE level = 'county' ORDER BY code`)
	if counties, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return err
	}
	if len(counties) > 0 && !contains(counties, m.CountyCode) {
		return fmt.Errorf("%w: county code %s is not a county of the imported regions (%s)", ErrDescription,
			m.CountyCode, strings.Join(counties, ", "))
	}
	m.GeneratedAt = time.Now().UTC().Truncate(time.Second)
	m.Sample, m.Generator = false, nil
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO public_data.dataset (id, meta, updated_at) VALUES (1, $1, now())
		ON CONFLICT (id) DO UPDATE SET meta = excluded.meta, updated_at = now()`, body); err != nil {
		return err
	}
	if err := finish(ctx, tx, "dataset", source, "", ImportResult{Rows: 1, Updated: 1}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// qTouchGenerated makes generated_at follow the data: each import of a file sets it to the
// import's time, so the description says how fresh the data is.
const qTouchGenerated = `UPDATE public_data.dataset
	SET meta = jsonb_set(meta, '{generated_at}', to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))), updated_at = now()`

// qLastImport is when the last import committed: the generated_at of a
// database never described.
const qLastImport = `SELECT max(imported_at) FROM public_data.import_log`
