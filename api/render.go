package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"

	"shanyu/snapshot"
)

// Everything about a facility but its distance is known when a snapshot is
// built, so each facility's JSON object is rendered once per snapshot (by
// the same encoder Huma uses, so the bytes are the same) and an answer is
// assembled by appending those bytes into a pooled buffer, with the few
// parts that vary inserted where they go:
//
//	{"id":…,"kind":…,"name_zh":…,"lon":  LON,"lat":LAT  ,"township_code":…,"closed_on":…  ,"distance_m":D  ,"directions_url":…}
//	└──────────── head ────────────────┘ └─ coords ──┘ └──────────── middle ────────────┘ └─ inserted ─┘ └────── tail ───────┘
//
// The coordinates are kept as their own part so that an answer in another
// coordinate system (GCJ-02) writes its own numbers there and reuses the
// rest; the distance, when the query has one, goes between middle and tail.

// renderedFacilities holds one snapshot's facilities as JSON objects
// without distance_m, end to end, and where each object's parts begin.
type renderedFacilities struct {
	dataset []byte // the snapshot's DatasetRef, as encodeJSON writes it
	blob    []byte
	parts   []objectParts // parts[i] are facility i's (snapshot index)

	// Rows of facilities.csv, cut the same way: the fields before lon,
	// those between lat and distance_m, those after it (with the newline).
	csv     []byte
	csvRows []rowParts
}

// rowParts are offsets into csv: the row's head is csv[start:middle], its
// middle csv[middle:tail], its tail csv[tail:end].
type rowParts struct {
	start, middle, tail, end uint32
}

// objectParts are offsets into blob: the object is blob[start:end]; its
// coordinates blob[coords:middle] and its tail blob[tail:end].
type objectParts struct {
	start, coords, middle, tail, end uint32
}

// Keys that mark the cuts. Inside a JSON string every quote is escaped, so
// a comma followed by a bare quote and a key can only be a key.
var (
	keyLon      = []byte(`,"lon":`)
	keyTownship = []byte(`,"township_code":`)
	keyDirURL   = []byte(`,"directions_url":`)
	keyDistance = []byte(`,"distance_m":`)
)

// renderKey is the Memo key of a snapshot's rendered facilities.
type renderKey struct{}

// rendering returns snap's rendered facilities, rendering them the first
// time (Swap warms it, so requests seldom wait).
func rendering(snap *snapshot.Snapshot) *renderedFacilities {
	return snap.Memo(renderKey{}, func() any { return renderFacilities(snap) }).(*renderedFacilities)
}

// renderFacilities renders every facility of snap with encodeJSON, the
// encoder of JSON answers.
func renderFacilities(snap *snapshot.Snapshot) *renderedFacilities {
	n := snap.NumFacilities()
	r := &renderedFacilities{parts: make([]objectParts, n), csvRows: make([]rowParts, n)}
	// One encoder and one CSV writer for every facility, as encodeJSON and
	// appendCSV would make them each time.
	var buf, cbuf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	cw := csv.NewWriter(&cbuf)
	fields := func(b []byte, fs []string) []byte {
		cbuf.Reset()
		_ = cw.Write(fs) // a bytes.Buffer does not fail
		cw.Flush()
		return append(b, bytes.TrimSuffix(cbuf.Bytes(), []byte("\n"))...)
	}
	if err := enc.Encode(datasetRef(snap)); err != nil {
		panic(err) // strings and a bool always encode
	}
	r.dataset = bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	for i := range n {
		if i == 256 && n > 2*i { // size the rest once from the first ones, rather than doubling
			r.blob = slices.Grow(r.blob, len(r.blob)/i*(n-i)*21/20)
			r.csv = slices.Grow(r.csv, len(r.csv)/i*(n-i)*21/20)
		}
		out := facilityOut(snap.FacilityAt(i), snap.PlaceAt(i), math.NaN())
		buf.Reset()
		if err := enc.Encode(out); err != nil {
			panic(err) // a Facility always encodes: strings, numbers, bools
		}
		obj := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		lon := bytes.Index(obj, keyLon) + len(keyLon)
		mid := lon + bytes.Index(obj[lon:], keyTownship)
		tail := mid + bytes.Index(obj[mid:], keyDirURL)
		start := uint32(len(r.blob))
		r.parts[i] = objectParts{start: start, coords: start + uint32(lon), middle: start + uint32(mid),
			tail: start + uint32(tail), end: start + uint32(len(obj))}
		r.blob = append(r.blob, obj...)

		rec := csvRecord(out)
		row := rowParts{start: uint32(len(r.csv))}
		r.csv = append(fields(r.csv, rec[:csvLon]), ',')
		row.middle = uint32(len(r.csv))
		r.csv = append(fields(append(r.csv, ','), rec[csvLon+2:csvDistance]), ',')
		row.tail = uint32(len(r.csv))
		r.csv = fields(append(r.csv, ','), rec[csvDistance+1:])
		r.csv = append(r.csv, '\n')
		row.end = uint32(len(r.csv))
		r.csvRows[i] = row
	}
	r.blob = bytes.Clone(r.blob) // drop the spare capacity of growth
	r.csv = bytes.Clone(r.csv)
	return r
}

// appendCSV appends fields as csv.Writer writes them in a record, without
// the line's end: the writer quotes each field on its own, so parts of a
// record written apart join into the record.
func appendCSV(b []byte, fields []string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(fields) // a bytes.Buffer does not fail
	w.Flush()
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// encodeJSON writes v as Huma writes a JSON answer: no HTML escaping, a
// newline at the end.
func encodeJSON(w *bytes.Buffer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Size is how many bytes the rendered facilities hold.
func (r *renderedFacilities) Size() int {
	return len(r.dataset) + len(r.blob) + len(r.parts)*20 + len(r.csv) + len(r.csvRows)*16 // uint32 offsets
}

// appendPage appends one page of facilities as encodeJSON writes a
// FacilityPage: the dataset, the counts, the next link when there is one,
// the items, and the encoder's final newline.
//
// coords, when not nil, writes the coordinates in another system (GCJ-02):
// see appendFacility.
func (r *renderedFacilities) appendPage(b []byte, matched int, page []snapshot.Match, next string, coords func(orb.Point) orb.Point) []byte {
	b = append(b, `{"dataset":`...)
	b = append(b, r.dataset...)
	b = append(b, `,"number_matched":`...)
	b = strconv.AppendInt(b, int64(matched), 10)
	b = append(b, `,"number_returned":`...)
	b = strconv.AppendInt(b, int64(len(page)), 10)
	if next != "" {
		b = append(b, `,"next":`...)
		b = appendJSONString(b, next)
	}
	b = append(b, `,"items":[`...)
	for k, m := range page {
		if k > 0 {
			b = append(b, ',')
		}
		b = r.appendFacility(b, m.Index, m.Metres, coords, m.Facility.Point)
	}
	return append(b, "]}\n"...)
}

// appendFacility appends facility i's JSON object, with its distance when
// metres is not NaN. When coords is not nil, the coordinates are coords(at)
// at six decimals instead of the rendered WGS84 ones: the seam for answers
// in another coordinate system (GCJ-02), which reuse everything else.
func (r *renderedFacilities) appendFacility(b []byte, i int, metres float64, coords func(orb.Point) orb.Point, at orb.Point) []byte {
	p := r.parts[i]
	b = append(b, r.blob[p.start:p.coords]...)
	if coords == nil {
		b = append(b, r.blob[p.coords:p.middle]...)
	} else {
		c := orb.Round(coords(at)).(orb.Point)
		b = appendJSONFloat(b, c[0])
		b = append(b, `,"lat":`...)
		b = appendJSONFloat(b, c[1])
	}
	b = append(b, r.blob[p.middle:p.tail]...)
	if !math.IsNaN(metres) {
		b = append(b, keyDistance...)
		b = appendJSONFloat(b, math.Round(metres*10)/10)
	}
	return append(b, r.blob[p.tail:p.end]...)
}

// appendCSVRow appends facility i's row of facilities.csv, with its
// distance when metres is not NaN and its coordinates at (converted by
// coords when not nil).
func (r *renderedFacilities) appendCSVRow(b []byte, i int, metres float64, coords func(orb.Point) orb.Point, at orb.Point) []byte {
	p := r.csvRows[i]
	b = append(b, r.csv[p.start:p.middle]...)
	if coords != nil {
		at = coords(at)
	}
	at = orb.Round(at).(orb.Point)
	b = strconv.AppendFloat(b, at[0], 'f', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, at[1], 'f', -1, 64)
	b = append(b, r.csv[p.middle:p.tail]...)
	if !math.IsNaN(metres) {
		b = strconv.AppendFloat(b, math.Round(metres*10)/10, 'f', 1, 64)
	}
	return append(b, r.csv[p.tail:p.end]...)
}

// appendCSVFile appends facilities.csv for a query's matches: the
// byte-order mark, the header row, a row a match.
func (r *renderedFacilities) appendCSVFile(b []byte, page []snapshot.Match, coords func(orb.Point) orb.Point) []byte {
	b = append(b, "\uFEFF"...)
	b = append(appendCSV(b, csvColumns), '\n')
	for _, m := range page {
		b = r.appendCSVRow(b, m.Index, m.Metres, coords, m.Facility.Point)
	}
	return b
}

// appendGeoJSONFile appends facilities.geojson for a query's matches as
// encoding/json.Marshal writes the FeatureCollection: each feature's
// properties are the facility's object with <, > and & escaped, as
// Marshal escapes them (they only occur inside strings).
func (r *renderedFacilities) appendGeoJSONFile(b []byte, page []snapshot.Match, coords func(orb.Point) orb.Point) []byte {
	b = append(b, `{"type":"FeatureCollection","dataset":`...)
	b = appendHTMLEscaped(b, r.dataset)
	b = append(b, `,"features":[`...)
	var obj []byte
	for k, m := range page {
		if k > 0 {
			b = append(b, ',')
		}
		obj = r.appendFacility(obj[:0], m.Index, m.Metres, coords, m.Facility.Point)
		at := m.Facility.Point
		if coords != nil {
			at = coords(at)
		}
		at = orb.Round(at).(orb.Point)
		b = append(b, `{"type":"Feature","id":`...)
		b = appendHTMLEscaped(b, appendJSONString(nil, m.Facility.ID))
		b = append(b, `,"geometry":{"type":"Point","coordinates":[`...)
		b = appendJSONFloat(b, at[0])
		b = append(b, ',')
		b = appendJSONFloat(b, at[1])
		b = append(b, `]},"properties":`...)
		b = appendHTMLEscaped(b, obj)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendHTMLEscaped appends JSON text with <, > and & written as \u003c,
// \u003e and \u0026.
func appendHTMLEscaped(b, js []byte) []byte {
	for {
		i := bytes.IndexAny(js, "<>&")
		if i < 0 {
			return append(b, js...)
		}
		b = append(b, js[:i]...)
		b = append(b, `\u00`...)
		b = append(b, "0123456789abcdef"[js[i]>>4], "0123456789abcdef"[js[i]&15])
		js = js[i+1:]
	}
}

// appendJSONFloat appends v as encoding/json writes a float64. Every
// number the API writes this way (coordinates at six decimals, distances
// to 0.1 m) lies where encoding/json uses the plain decimal form; any other
// goes through encoding/json itself.
func appendJSONFloat(b []byte, v float64) []byte {
	if a := math.Abs(v); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	out, err := json.Marshal(v)
	if err != nil { // NaN or an infinity: encoding/json refuses them too
		panic(err)
	}
	return append(b, out...)
}

// appendJSONString appends s as a JSON string the way encodeJSON writes
// it. Plain text (no quote, backslash, control character, invalid UTF-8 or
// line separator U+2028/U+2029) is quoted as it is; anything else goes
// through the encoder itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				return appendEncoded(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendEncoded(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendEncoded(b []byte, s string) []byte {
	var buf bytes.Buffer
	_ = encodeJSON(&buf, s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// answerBuffers recycles the buffers answers are assembled in.
var answerBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledAnswer keeps a huge answer's buffer from staying in the pool.
const maxPooledAnswer = 1 << 20

// assembled is an answer body whose JSON was assembled as bytes; the JSON
// format writes those bytes instead of encoding the value.
type assembled interface {
	assembledJSON() *[]byte
}

// jsonFormat is Huma's JSON format with a way through for assembled
// answers; their buffer goes back to the pool once written.
var jsonFormat = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		if a, ok := v.(assembled); ok {
			if b := a.assembledJSON(); b != nil {
				_, err := w.Write(*b)
				if cap(*b) <= maxPooledAnswer {
					*b = (*b)[:0]
					answerBuffers.Put(b)
				}
				return err
			}
		}
		return huma.DefaultJSONFormat.Marshal(w, v)
	},
	Unmarshal: huma.DefaultJSONFormat.Unmarshal,
}
