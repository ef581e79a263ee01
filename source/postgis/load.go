package postgis

import (
	"context"
	"unsafe"

	"shanyu/county"
)

// loadFacilities reads every facility, childcare and mother-and-baby rooms
// together in id order, into one slice allocated once. Text is copied out
// of the driver's buffers into shared blocks (see texts), so a million
// facilities make a few thousand allocations rather than millions, and the
// garbage collector has little to trace.
func loadFacilities(ctx context.Context, q Querier) ([]county.Facility, error) {
	var n int64
	if err := q.QueryRow(ctx, qCountFacilities).Scan(&n); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, qFacilities)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]county.Facility, 0, n)
	var t texts
	var childcare bool
	amenities := map[string][]string{} // raw array → decoded, shared by equal rows
	for rows.Next() {
		out = append(out, county.Facility{})
		f := &out[len(out)-1]
		// Text columns are skipped by Scan (nil) and read raw below.
		if err := rows.Scan(&childcare, nil, nil, &f.Point[0], &f.Point[1], nil, nil, nil,
			nil, nil, nil, &f.Inclusive, &f.Filed, &f.MonthlyFeeYuan,
			&f.Slots.Infant, &f.Slots.ToddlerSmall, &f.Slots.ToddlerLarge, &f.Slots.Mixed,
			&f.Enrolled.Infant, &f.Enrolled.ToddlerSmall, &f.Enrolled.ToddlerLarge, &f.Enrolled.Mixed,
			nil, &f.Star, nil, &f.Accessible); err != nil {
			return nil, err
		}
		raw := rows.RawValues()
		f.ID, f.NameZh, f.Address = t.copy(raw[1]), t.copy(raw[2]), t.copy(raw[5])
		f.Phone, f.OpeningHours = t.copy(raw[6]), t.intern(raw[7])
		f.OpenedOn, f.ClosedOn = county.Date(t.intern(raw[8])), county.Date(t.intern(raw[9]))
		if childcare {
			f.Kind, f.OperatorType = county.Childcare, t.intern(raw[10])
			continue
		}
		f.Kind, f.VenueType = county.NursingRoom, t.intern(raw[22])
		a, seen := amenities[string(raw[24])]
		if !seen {
			if err := rows.Conn().TypeMap().Scan(rows.FieldDescriptions()[24].DataTypeOID,
				rows.FieldDescriptions()[24].Format, raw[24], &a); err != nil {
				return nil, err
			}
			if len(a) == 0 {
				a = nil
			}
			amenities[string(raw[24])] = a
		}
		f.Amenities = a
	}
	return out, rows.Err()
}

// texts holds the text of one load. Values of their own (ids, names,
// addresses) are copied into 64 KB blocks that are never written again
// where a string points, so each string is a view of a block; values that
// repeat (opening hours, types, dates) are interned and shared.
type texts struct {
	block []byte
	seen  map[string]string
}

const textBlock = 64 << 10

// copy returns b as a string in a shared block.
func (t *texts) copy(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > textBlock/8 {
		return string(b)
	}
	if cap(t.block)-len(t.block) < len(b) {
		t.block = make([]byte, 0, textBlock)
	}
	start := len(t.block)
	t.block = append(t.block, b...)
	return unsafe.String(&t.block[start], len(b))
}

// intern returns b as a string shared with every equal value of the load.
func (t *texts) intern(b []byte) string {
	if s, ok := t.seen[string(b)]; ok {
		return s
	}
	if t.seen == nil {
		t.seen = map[string]string{}
	}
	s := string(b)
	t.seen[s] = s
	return s
}
