package postgis

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"shanyu/indicators"
)

// SaveMicrodata replaces the private microdata with md in one transaction.
// Only an administrator's role can: the API's role cannot even see them.
func SaveMicrodata(ctx context.Context, db interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}, md *indicators.Microdata) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	if _, err := tx.Exec(ctx, `TRUNCATE private.birth, private.death, private.marriage, private.pregnancy,
		private.child_screening, private.payment, private.women`); err != nil {
		return err
	}
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	copyRows := func(table string, cols []string, rows [][]any) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"private", table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("private.%s: %w", table, err)
		}
		return nil
	}
	var rows [][]any
	for _, b := range md.Births {
		rows = append(rows, []any{b.ID, b.Village, day(b.Date), b.Order, b.MotherAge})
	}
	if err := copyRows("birth", []string{"id", "village", "born_on", "birth_order", "mother_age"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, d := range md.Deaths {
		rows = append(rows, []any{d.ID, d.Village, day(d.Date)})
	}
	if err := copyRows("death", []string{"id", "village", "died_on"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, m := range md.Marriages {
		rows = append(rows, []any{m.ID, m.Village, day(m.Date), m.Checked})
	}
	if err := copyRows("marriage", []string{"id", "village", "married_on", "checked"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, p := range md.Pregnancies {
		rows = append(rows, []any{p.ID, p.Village, day(p.Date), p.Order, p.Screened})
	}
	if err := copyRows("pregnancy", []string{"id", "village", "registered_on", "birth_order", "screened"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, c := range md.ChildScreenings {
		rows = append(rows, []any{c.ChildID, c.Village, c.Year, c.Screened})
	}
	if err := copyRows("child_screening", []string{"child_id", "village", "year", "screened"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, p := range md.Payments {
		rows = append(rows, []any{p.ID, p.ChildID, p.Village, p.Month, p.Kind, p.Order, p.Yuan})
	}
	if err := copyRows("payment", []string{"id", "child_id", "village", "month", "kind", "birth_order", "yuan"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, w := range md.Women {
		rows = append(rows, []any{w.Year, w.Band, w.Women})
	}
	if err := copyRows("women", []string{"year", "band", "women"}, rows); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// LoadMicrodata reads the private microdata.
func LoadMicrodata(ctx context.Context, q Querier) (*indicators.Microdata, error) {
	md := &indicators.Microdata{}
	read := func(sql string, dest []any, each func()) error {
		rows, _ := q.Query(ctx, sql)
		_, err := pgx.ForEachRow(rows, dest, func() error { each(); return nil })
		return err
	}
	var b indicators.Birth
	if err := read(`SELECT id, village, born_on::text, birth_order, mother_age FROM private.birth ORDER BY id`,
		[]any{&b.ID, &b.Village, &b.Date, &b.Order, &b.MotherAge}, func() { md.Births = append(md.Births, b) }); err != nil {
		return nil, err
	}
	var d indicators.Death
	if err := read(`SELECT id, village, died_on::text FROM private.death ORDER BY id`,
		[]any{&d.ID, &d.Village, &d.Date}, func() { md.Deaths = append(md.Deaths, d) }); err != nil {
		return nil, err
	}
	var m indicators.Marriage
	if err := read(`SELECT id, village, married_on::text, checked FROM private.marriage ORDER BY id`,
		[]any{&m.ID, &m.Village, &m.Date, &m.Checked}, func() { md.Marriages = append(md.Marriages, m) }); err != nil {
		return nil, err
	}
	var p indicators.Pregnancy
	if err := read(`SELECT id, village, registered_on::text, birth_order, screened FROM private.pregnancy ORDER BY id`,
		[]any{&p.ID, &p.Village, &p.Date, &p.Order, &p.Screened}, func() { md.Pregnancies = append(md.Pregnancies, p) }); err != nil {
		return nil, err
	}
	var c indicators.ChildScreening
	if err := read(`SELECT child_id, village, year, screened FROM private.child_screening ORDER BY child_id, year`,
		[]any{&c.ChildID, &c.Village, &c.Year, &c.Screened}, func() { md.ChildScreenings = append(md.ChildScreenings, c) }); err != nil {
		return nil, err
	}
	var pay indicators.Payment
	if err := read(`SELECT id, child_id, village, month, kind, birth_order, yuan FROM private.payment ORDER BY id`,
		[]any{&pay.ID, &pay.ChildID, &pay.Village, &pay.Month, &pay.Kind, &pay.Order, &pay.Yuan},
		func() { md.Payments = append(md.Payments, pay) }); err != nil {
		return nil, err
	}
	var w indicators.WomenCount
	if err := read(`SELECT year, band, women FROM private.women ORDER BY year, band`,
		[]any{&w.Year, &w.Band, &w.Women}, func() { md.Women = append(md.Women, w) }); err != nil {
		return nil, err
	}
	return md, nil
}

// Publish computes the indicators from the private microdata, protects
// them together with the release already public (whose figures stay
// frozen), and — only when the audit passes — writes the public tables and
// the private audit log in one transaction and notifies running servers.
func Publish(ctx context.Context, db interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}, opt indicators.Options) (*indicators.Publication, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	ds, err := Load(ctx, tx)
	if err != nil {
		return nil, err
	}
	md, err := LoadMicrodata(ctx, tx)
	if err != nil {
		return nil, err
	}
	regions, pop := ds.IndicatorInputs()
	if ds.Policy != nil && opt.Benefits == nil {
		opt.Benefits = ds.Policy.Benefits // the payment tables follow the dataset's own policy
	}
	if prev := ds.Published; prev != nil {
		// The release already public stays public: under the same method its
		// figures are frozen and audited with the new ones; either way the
		// new release reports its loss beside the old one's.
		if prev.Method == indicators.MethodVersion && opt.Previous == nil {
			opt.Previous = prev
		}
		if opt.Baseline == nil && prev.Audit.Loss.Figures > 0 {
			base := prev.Audit.Loss
			opt.Baseline = &base
		}
	}
	pub, log, err := indicators.Publish(md, regions, pop, opt)
	if err != nil {
		return nil, err // nothing is written: the release did not pass
	}
	if err := indicators.Verify(pub, md, regions, pop, opt.Benefits); err != nil {
		return nil, err
	}
	if err := savePublication(ctx, tx, pub); err != nil {
		return nil, err
	}
	lb, err := json.Marshal(log)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO private.audit_log (id, log) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET log = excluded.log, published_at = now()`, log.ID, lb); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, 'publication')`, Channel); err != nil {
		return nil, err
	}
	return pub, tx.Commit(ctx)
}
