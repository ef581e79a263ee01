package indicators

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// MethodVersion names the publication method; it changes when the tables or
// the rules change.
const MethodVersion = "shanyu-sdc-1"

// Value is one published figure: the number, or nil with status
// "suppressed". Numerator and Denominator accompany rates when they are
// published too.
type Value struct {
	Region      string   `json:"region"`
	Level       string   `json:"level"`
	Period      string   `json:"period" doc:"A year, or a three-year block such as 2020-2022"`
	Breakdown   string   `json:"breakdown,omitempty" doc:"For example order=3"`
	Value       *float64 `json:"value"`
	Status      string   `json:"status" enum:"published,suppressed"`
	Unreliable  bool     `json:"unreliable,omitempty" doc:"Fewer than 20 events: read with care"`
	Topcoded    bool     `json:"topcoded,omitempty" doc:"The value is a bound (e.g. above 99.5%), not the figure"`
	Numerator   *float64 `json:"numerator,omitempty"`
	Denominator *float64 `json:"denominator,omitempty"`
}

// Table is one indicator's published values.
type Table struct {
	Indicator string  `json:"indicator"`
	Unit      string  `json:"unit"`
	Method    string  `json:"method"`
	T         float64 `json:"t" doc:"Counts from 1 to T−1 are hidden"`
	Sentence  string  `json:"sentence"`
	Values    []Value `json:"values"`
}

// Publication is one release of every table, with its audit summary. The
// per-cell audit log (which tells primary from secondary suppression) is
// kept apart, never published.
type Publication struct {
	Method     string           `json:"method"`
	T          float64          `json:"t"`
	TSensitive float64          `json:"t_sensitive"`
	Years      []int            `json:"years"`
	Blocks     []string         `json:"blocks"`
	Audit      AuditSummary     `json:"audit"`
	Tables     map[string]Table `json:"tables"`
}

// AuditSummary says that the release passed its audit, and how large it was.
type AuditSummary struct {
	ID         string `json:"id" doc:"Hash of the release and its suppression pattern"`
	Pass       bool   `json:"pass"`
	Rounds     int    `json:"rounds"`
	Cells      int    `json:"cells"`
	Suppressed int    `json:"suppressed"`
}

// AuditLog is the private record of a release's audit: every suppressed
// cell with the attacker's bounds, primary or not.
type AuditLog struct {
	ID      string     `json:"id"`
	Entries []LogEntry `json:"entries"`
}

// LogEntry is one suppressed cell of the audit log.
type LogEntry struct {
	Cell    string  `json:"cell"`
	Primary bool    `json:"primary"`
	Lower   float64 `json:"lower"`
	Upper   float64 `json:"upper"` // +Inf is written as -1
}

// Options set the thresholds.
type Options struct {
	T, TSensitive float64
}

func (o Options) norm() Options {
	if o.T == 0 {
		o.T = 5
	}
	if o.TSensitive == 0 {
		o.TSensitive = 10
	}
	return o
}

// Sentence is what a reader is told about a table's protection.
func Sentence(t float64) string {
	return fmt.Sprintf("Counts from 1 to %d are hidden, and some other cells with them, so that no family can be identified; "+
		"rates are hidden where their numerator is small, their denominator is under 20, or nearly everyone is in (or out of) them. "+
		"小于%d的计数及相关单元格已隐藏，以免识别到具体家庭。", int(t)-1, int(t))
}

// builder accumulates the release's unknowns and cells.
type builder struct {
	vars   map[string]int
	values []float64
	cells  []Cell
	index  map[string]int // cell id → index
}

func (b *builder) v(key string) int {
	if i, ok := b.vars[key]; ok {
		return i
	}
	b.vars[key] = len(b.values)
	b.values = append(b.values, 0)
	return b.vars[key]
}

func (b *builder) add(key string, n float64) { b.values[b.v(key)] += n }

func (b *builder) cell(c Cell) {
	var sum float64
	for _, t := range c.Terms {
		sum += t.Coef * b.values[t.Var]
	}
	c.Value = sum
	b.index[c.ID] = len(b.cells)
	b.cells = append(b.cells, c)
}

func terms(b *builder, keys ...string) []Term {
	out := make([]Term, len(keys))
	for i, k := range keys {
		out[i] = Term{Var: b.v(k), Coef: 1}
	}
	return out
}

func year(date string) int {
	y, _ := strconv.Atoi(date[:4])
	return y
}

// layout remembers how a release was built, to render it.
type layout struct {
	b                   *builder
	county              string
	townships, villages []string
	years               []int
	blocks              []string
	md                  *Microdata
	population          []Population
	opt                 Options
}

// Publish builds the fixed tables from microdata, protects them as one
// release and returns the publication and its private audit log. regions
// must hold the county, its townships and villages; population gives the
// public denominators by region and year.
func Publish(md *Microdata, regions []Region, population []Population, opt Options) (*Publication, *AuditLog, error) {
	rel, lay, err := BuildRelease(md, regions, population, opt)
	if err != nil {
		return nil, nil, err
	}
	res, err := Protect(rel)
	if err != nil {
		return nil, nil, err
	}
	pub, log := lay.render(rel, res)
	return pub, log, nil
}

// Verify checks a publication against the microdata it claims to come
// from: every published count is the true one, and the suppression pattern
// it shows passes the audit. A release is published only when it does.
func Verify(pub *Publication, md *Microdata, regions []Region, population []Population) error {
	rel, lay, err := BuildRelease(md, regions, population, Options{T: pub.T, TSensitive: pub.TSensitive})
	if err != nil {
		return err
	}
	sup := make([]bool, len(rel.Cells))
	for i := range rel.Cells {
		c := &rel.Cells[i]
		c.Primary = !c.Identity && c.Value > 0 && c.Value < rel.threshold(c)
		if c.Virtual {
			c.Primary = c.Value < rel.threshold(c)
		}
		if c.Identity {
			continue
		}
		if c.Virtual {
			sup[i] = true
			continue
		}
		v, found := lookupCell(pub, c.ID, lay.county)
		if !found {
			return fmt.Errorf("the publication has no figure for %s", c.ID)
		}
		if v == nil {
			sup[i] = true
			continue
		}
		if math.Abs(*v-c.Value) > 1e-9 {
			return fmt.Errorf("%s is published as %v, the microdata say %v", c.ID, *v, c.Value)
		}
		if c.Primary {
			return fmt.Errorf("%s is below the threshold and published", c.ID)
		}
	}
	if audit, ok := rel.Audit(sup); !ok {
		for _, b := range audit {
			if !b.Pass {
				return fmt.Errorf("%w: %s %s", ErrAudit, b.Cell, b.Reason)
			}
		}
	}
	return nil
}

// lookupCell finds the published figure of a release cell: nil when it is
// suppressed, found false when the publication lacks it.
func lookupCell(pub *Publication, id, county string) (*float64, bool) {
	parts := strings.Split(id, "|")
	find := func(table, region, period, breakdown string, pick func(Value) *float64) (*float64, bool) {
		for _, v := range pub.Tables[table].Values {
			if v.Region == region && v.Period == period && v.Breakdown == breakdown {
				return pick(v), true
			}
		}
		return nil, false
	}
	val := func(v Value) *float64 { return v.Value }
	switch kind := parts[0]; kind {
	case "births", "deaths":
		return find(kind, parts[1], parts[2], "", val)
	case "births_by_order", "allowance_families":
		return find(kind, parts[1], parts[2], "order="+parts[3], val)
	case "pregnancy_subsidy_families", "allowance_yuan", "pregnancy_subsidy_yuan":
		return find(kind, parts[1], parts[2], "", val)
	case "premarital_num", "prenatal_num", "developmental_num", "premarital_den", "prenatal_den", "developmental_den":
		name, part, _ := strings.Cut(kind, "_")
		table := map[string]string{"premarital": "premarital_check_rate", "prenatal": "prenatal_screening_rate",
			"developmental": "developmental_screening_rate"}[name]
		if part == "num" {
			return find(table, parts[1], parts[2], "", func(v Value) *float64 { return v.Numerator })
		}
		return find(table, parts[1], parts[2], "", func(v Value) *float64 { return v.Denominator })
	}
	return nil, false
}

// BuildRelease builds the fixed tables' cells from microdata: the linear
// system a release is protected and audited as.
func BuildRelease(md *Microdata, regions []Region, population []Population, opt Options) (*Release, *layout, error) {
	opt = opt.norm()
	town := map[string]string{} // village → township
	var county string
	var townships, villages []string
	for _, r := range regions {
		switch r.Level {
		case "county":
			county = r.Code
		case "township":
			townships = append(townships, r.Code)
		case "village":
			villages = append(villages, r.Code)
			town[r.Code] = r.Parent
		}
	}
	sort.Strings(townships)
	sort.Strings(villages)
	yearSet := map[int]bool{}
	for _, x := range md.Births {
		yearSet[year(x.Date)] = true
	}
	var years []int
	for y := range yearSet {
		years = append(years, y)
	}
	sort.Ints(years)
	if len(years) == 0 || county == "" {
		return nil, nil, fmt.Errorf("no births or no county to publish")
	}
	// Fixed, non-overlapping three-year blocks for villages.
	var blocks []string
	blockOf := map[int]string{}
	for i := 0; i < len(years); i += 3 {
		last := years[min(i+2, len(years)-1)]
		name := fmt.Sprintf("%d-%d", years[i], last)
		blocks = append(blocks, name)
		for _, y := range years[i:min(i+3, len(years))] {
			blockOf[y] = name
		}
	}
	b := &builder{vars: map[string]int{}, index: map[string]int{}}
	// Unknowns, filled from the microdata.
	for _, x := range md.Births {
		y, t := year(x.Date), town[x.Village]
		b.add(fmt.Sprintf("o|%s|%d|%d", t, y, x.Order), 1)
		b.add(fmt.Sprintf("vb|%s|%s", x.Village, blockOf[y]), 1)
	}
	for _, x := range md.Deaths {
		b.add(fmt.Sprintf("d|%s|%d", town[x.Village], year(x.Date)), 1)
	}
	for _, x := range md.Marriages {
		b.add(fmt.Sprintf("premarital|%s|%d|%v", town[x.Village], year(x.Date), x.Checked), 1)
	}
	for _, x := range md.Pregnancies {
		b.add(fmt.Sprintf("prenatal|%s|%d|%v", town[x.Village], year(x.Date), x.Screened), 1)
	}
	for _, x := range md.ChildScreenings {
		b.add(fmt.Sprintf("developmental|%s|%d|%v", town[x.Village], x.Year, x.Screened), 1)
	}
	paidChild := map[string]bool{}
	for _, x := range md.Payments {
		y := year(x.Month)
		switch x.Kind {
		case ChildcareAllowance:
			key := fmt.Sprintf("%s|%d", x.ChildID, y)
			if !paidChild[key] {
				paidChild[key] = true
				b.add(fmt.Sprintf("allow|%s|%d|%d", town[x.Village], y, x.Order), 1)
			}
			b.add(fmt.Sprintf("allowyuan|%d|%d", y, x.Order), float64(x.Yuan))
		case PregnancySubsidy:
			b.add(fmt.Sprintf("preg|%s|%d", town[x.Village], y), 1)
		}
	}
	townVillages := map[string][]string{}
	for _, v := range villages {
		townVillages[town[v]] = append(townVillages[town[v]], v)
	}

	// Cells. Births by township, year and order, their totals, the county's.
	for _, y := range years {
		for k := 1; k <= 3; k++ {
			var all []Term
			for _, t := range townships {
				id := fmt.Sprintf("o|%s|%d|%d", t, y, k)
				b.cell(Cell{ID: "births_by_order|" + id[2:], Terms: terms(b, id), Level: 1})
				all = append(all, terms(b, id)...)
			}
			b.cell(Cell{ID: fmt.Sprintf("births_by_order|%s|%d|%d", county, y, k), Terms: all, Level: 2, Fixed: true})
		}
		var all []Term
		for _, t := range townships {
			ts := terms(b, fmt.Sprintf("o|%s|%d|1", t, y), fmt.Sprintf("o|%s|%d|2", t, y), fmt.Sprintf("o|%s|%d|3", t, y))
			b.cell(Cell{ID: fmt.Sprintf("births|%s|%d", t, y), Terms: ts, Level: 1})
			all = append(all, ts...)
		}
		b.cell(Cell{ID: fmt.Sprintf("births|%s|%d", county, y), Terms: all, Level: 2, Fixed: true})
	}
	// Villages in blocks, tied to their township's years by an identity.
	for _, blk := range blocks {
		for _, t := range townships {
			var id []Term
			for _, v := range townVillages[t] {
				key := fmt.Sprintf("vb|%s|%s", v, blk)
				b.cell(Cell{ID: fmt.Sprintf("births|%s|%s", v, blk), Terms: terms(b, key), Level: 0})
				id = append(id, terms(b, key)...)
			}
			for _, y := range years {
				if blockOf[y] != blk {
					continue
				}
				for k := 1; k <= 3; k++ {
					id = append(id, Term{Var: b.v(fmt.Sprintf("o|%s|%d|%d", t, y, k)), Coef: -1})
				}
			}
			b.cell(Cell{ID: fmt.Sprintf("identity|births|%s|%s", t, blk), Terms: id, Fixed: true, Identity: true})
		}
	}
	// Deaths. The natural growth rate is no cell of its own: it is shown only
	// where births and deaths both are, so it adds nothing to the system
	// (shown beside a hidden count, births − deaths would give it back).
	for _, y := range years {
		var all []Term
		for _, t := range townships {
			d := terms(b, fmt.Sprintf("d|%s|%d", t, y))
			b.cell(Cell{ID: fmt.Sprintf("deaths|%s|%d", t, y), Terms: d, Level: 1})
			all = append(all, d...)
		}
		b.cell(Cell{ID: fmt.Sprintf("deaths|%s|%d", county, y), Terms: all, Level: 2, Fixed: true})
	}
	// Screening rates: numerator, denominator, and the complement (who was
	// not screened), which is never published but must stay hidden when small.
	for _, kind := range []string{"premarital", "prenatal", "developmental"} {
		for _, y := range years {
			var yes, no []Term
			for _, t := range townships {
				ty, tn := terms(b, fmt.Sprintf("%s|%s|%d|true", kind, t, y)), terms(b, fmt.Sprintf("%s|%s|%d|false", kind, t, y))
				b.cell(Cell{ID: fmt.Sprintf("%s_num|%s|%d", kind, t, y), Terms: ty, Level: 1})
				b.cell(Cell{ID: fmt.Sprintf("%s_den|%s|%d", kind, t, y), Terms: append(append([]Term{}, ty...), tn...), Level: 1})
				b.cell(Cell{ID: fmt.Sprintf("%s_out|%s|%d", kind, t, y), Terms: tn, Level: 1, Virtual: true})
				yes, no = append(yes, ty...), append(no, tn...)
			}
			b.cell(Cell{ID: fmt.Sprintf("%s_num|%s|%d", kind, county, y), Terms: yes, Level: 2})
			b.cell(Cell{ID: fmt.Sprintf("%s_den|%s|%d", kind, county, y), Terms: append(append([]Term{}, yes...), no...), Level: 2})
			b.cell(Cell{ID: fmt.Sprintf("%s_out|%s|%d", kind, county, y), Terms: no, Level: 2, Virtual: true})
		}
	}
	// Subsidies: families by order and township; money only for the county.
	for _, y := range years {
		for _, k := range []int{2, 3} {
			var all []Term
			for _, t := range townships {
				a := terms(b, fmt.Sprintf("allow|%s|%d|%d", t, y, k))
				b.cell(Cell{ID: fmt.Sprintf("allowance_families|%s|%d|%d", t, y, k), Terms: a, Level: 1, Sensitive: true})
				all = append(all, a...)
			}
			b.cell(Cell{ID: fmt.Sprintf("allowance_families|%s|%d|%d", county, y, k), Terms: all, Level: 2, Sensitive: true})
		}
		b.cell(Cell{ID: fmt.Sprintf("allowance_yuan|%s|%d", county, y),
			Terms: terms(b, fmt.Sprintf("allowyuan|%d|2", y), fmt.Sprintf("allowyuan|%d|3", y)), Level: 2})
		var all []Term
		for _, t := range townships {
			p := terms(b, fmt.Sprintf("preg|%s|%d", t, y))
			b.cell(Cell{ID: fmt.Sprintf("pregnancy_subsidy_families|%s|%d", t, y), Terms: p, Level: 1, Sensitive: true})
			all = append(all, p...)
		}
		b.cell(Cell{ID: fmt.Sprintf("pregnancy_subsidy_families|%s|%d", county, y), Terms: all, Level: 2, Sensitive: true})
		money := make([]Term, len(all))
		for i, t := range all {
			money[i] = Term{Var: t.Var, Coef: 500} // clause （十三）: 500 yuan each
		}
		b.cell(Cell{ID: fmt.Sprintf("pregnancy_subsidy_yuan|%s|%d", county, y), Terms: money, Level: 2})
	}

	rel := &Release{Unknowns: len(b.values), Cells: b.cells, T: opt.T, TSensitive: opt.TSensitive}
	return rel, &layout{b: b, county: county, townships: townships, villages: villages, years: years, blocks: blocks,
		md: md, population: population, opt: opt}, nil
}

// render turns a protected release into its publication and audit log.
func (l *layout) render(rel *Release, res *Result) (*Publication, *AuditLog) {
	b, county, townships, villages, years, blocks, md, population, opt :=
		l.b, l.county, l.townships, l.villages, l.years, l.blocks, l.md, l.population, l.opt
	pub := &Publication{Method: MethodVersion, T: opt.T, TSensitive: opt.TSensitive, Years: years, Blocks: blocks, Tables: map[string]Table{}}
	shown := func(id string) (float64, bool) {
		i, ok := b.index[id]
		if !ok || res.Suppressed[i] {
			return 0, false
		}
		return rel.Cells[i].Value, true
	}
	levelOf := func(code string) string {
		switch {
		case code == county:
			return "county"
		case len(code) == 9:
			return "township"
		}
		return "village"
	}
	pop := map[string]Population{}
	for _, p := range population {
		pop[fmt.Sprintf("%s|%d", p.Code, p.Year)] = p
	}
	table := func(id string, t float64) *Table {
		ind, _ := ByID(id)
		tb := pub.Tables[id]
		tb.Indicator, tb.Unit, tb.T, tb.Method = id, ind.Unit, t, MethodVersion+": small-count suppression with a linear-programming audit"
		tb.Sentence = Sentence(t)
		pub.Tables[id] = tb
		return &tb
	}
	put := func(id string, t float64, v Value) {
		tb := table(id, t)
		if v.Value == nil {
			v.Status = "suppressed"
			v.Numerator, v.Denominator = nil, nil
		} else {
			v.Status = "published"
		}
		tb.Values = append(tb.Values, v)
		pub.Tables[id] = *tb
	}
	num := func(x float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		return &x
	}
	rate := func(n float64, nok bool, d float64, dok bool, t, scale float64, decimals int) (*float64, bool) {
		if !nok || !dok || n < t || d < 20 || d-n < t {
			return nil, false
		}
		r := math.Round(n/d*scale*math.Pow(10, float64(decimals))) / math.Pow(10, float64(decimals))
		return &r, n < 20
	}
	places := append([]string{county}, townships...)
	for _, y := range years {
		ys := strconv.Itoa(y)
		for _, r := range places {
			tot, tok := shown(fmt.Sprintf("births|%s|%d", r, y))
			put("births", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: num(tot, tok)})
			for k := 1; k <= 3; k++ {
				n, ok := shown(fmt.Sprintf("births_by_order|%s|%d|%d", r, y, k))
				put("births_by_order", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Breakdown: "order=" + strconv.Itoa(k), Value: num(n, ok)})
			}
			n3, ok3 := shown(fmt.Sprintf("births_by_order|%s|%d|3", r, y))
			share, unreliable := rate(n3, ok3, tot, tok, opt.T, 100, 1)
			put("third_birth_share", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: share, Unreliable: unreliable,
				Numerator: num(n3, ok3), Denominator: num(tot, tok)})
			d, dok := shown(fmt.Sprintf("deaths|%s|%d", r, y))
			put("deaths", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: num(d, dok)})
			var ng *float64
			ngUnreliable := false
			if p, ok := pop[fmt.Sprintf("%s|%d", r, y)]; ok && p.Total > 0 && tok && dok {
				x := math.Round((tot-d)/float64(p.Total)*1000*100) / 100
				ng, ngUnreliable = &x, tot+d < 20
			}
			put("natural_growth_rate", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: ng, Unreliable: ngUnreliable})
			if p, ok := pop[fmt.Sprintf("%s|%d", r, y)]; ok && p.Age15to64 > 0 {
				x := math.Round(float64(p.Age0to14+p.Age65Plus)/float64(p.Age15to64)*100*10) / 10
				put("total_dependency_ratio", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: &x})
			}
			for _, kind := range []string{"premarital", "prenatal", "developmental"} {
				n, nok := shown(fmt.Sprintf("%s_num|%s|%d", kind, r, y))
				dd, ddok := shown(fmt.Sprintf("%s_den|%s|%d", kind, r, y))
				v, unreliable := rate(n, nok, dd, ddok, opt.T, 100, 1)
				id := map[string]string{"premarital": "premarital_check_rate", "prenatal": "prenatal_screening_rate",
					"developmental": "developmental_screening_rate"}[kind]
				put(id, opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: v, Unreliable: unreliable, Numerator: num(n, nok), Denominator: num(dd, ddok)})
			}
			for _, k := range []int{2, 3} {
				n, ok := shown(fmt.Sprintf("allowance_families|%s|%d|%d", r, y, k))
				put("allowance_families", opt.TSensitive, Value{Region: r, Level: levelOf(r), Period: ys, Breakdown: "order=" + strconv.Itoa(k), Value: num(n, ok)})
			}
			n, ok := shown(fmt.Sprintf("pregnancy_subsidy_families|%s|%d", r, y))
			put("pregnancy_subsidy_families", opt.TSensitive, Value{Region: r, Level: levelOf(r), Period: ys, Value: num(n, ok)})
		}
		m, ok := shown(fmt.Sprintf("allowance_yuan|%s|%d", county, y))
		put("allowance_yuan", opt.T, Value{Region: county, Level: "county", Period: ys, Value: num(m, ok)})
		m, ok = shown(fmt.Sprintf("pregnancy_subsidy_yuan|%s|%d", county, y))
		put("pregnancy_subsidy_yuan", opt.T, Value{Region: county, Level: "county", Period: ys, Value: num(m, ok)})
		tfr, births := totalFertility(md, y)
		var tv *float64
		if births >= 10 && !math.IsNaN(tfr) {
			x := math.Round(tfr*1000) / 1000
			tv = &x
		}
		put("total_fertility_rate", opt.T, Value{Region: county, Level: "county", Period: ys, Value: tv, Unreliable: births < 20})
	}
	for _, blk := range blocks {
		for _, v := range villages {
			n, ok := shown(fmt.Sprintf("births|%s|%s", v, blk))
			put("births", opt.T, Value{Region: v, Level: "village", Period: blk, Value: num(n, ok)})
		}
	}

	// Identify the release: inputs and pattern.
	h := sha256.New()
	log := &AuditLog{}
	suppressed := 0
	for i, c := range rel.Cells {
		fmt.Fprintf(h, "%s=%v:%v;", c.ID, c.Value, res.Suppressed[i])
		if res.Suppressed[i] && !c.Identity {
			suppressed++
		}
	}
	id := hex.EncodeToString(h.Sum(nil))[:16]
	for i, c := range rel.Cells {
		if !res.Suppressed[i] || c.Identity {
			continue
		}
		e := LogEntry{Cell: c.ID, Primary: c.Primary, Upper: -1}
		for _, bd := range res.Audit {
			if bd.Cell == c.ID {
				e.Lower = bd.Lower
				if !math.IsInf(bd.Upper, 1) {
					e.Upper = bd.Upper
				}
			}
		}
		log.Entries = append(log.Entries, e)
	}
	log.ID = id
	pub.Audit = AuditSummary{ID: id, Pass: true, Rounds: res.Rounds, Cells: len(rel.Cells), Suppressed: suppressed}
	return pub, log
}

// totalFertility is Σ over age bands of 5 × births to mothers of the band ÷
// women of the band, for the county in year y, and the births it rests on.
func totalFertility(md *Microdata, y int) (float64, int) {
	births := map[string]int{}
	total := 0
	for _, x := range md.Births {
		if year(x.Date) == y {
			births[x.MotherAge]++
			total++
		}
	}
	women := map[string]int{}
	for _, w := range md.Women {
		if w.Year == y {
			women[w.Band] = w.Women
		}
	}
	if len(women) == 0 {
		return math.NaN(), total
	}
	var tfr float64
	for _, band := range AgeBands {
		if w := women[band]; w > 0 {
			tfr += 5 * float64(births[band]) / float64(w)
		}
	}
	return tfr, total
}

// MarshalCanonical encodes a publication with sorted keys and values, the
// same bytes for the same release.
func MarshalCanonical(p *Publication) ([]byte, error) {
	for id, t := range p.Tables {
		sort.SliceStable(t.Values, func(i, j int) bool {
			a, b := t.Values[i], t.Values[j]
			if a.Level != b.Level {
				return levelRank(a.Level) < levelRank(b.Level)
			}
			if a.Region != b.Region {
				return a.Region < b.Region
			}
			if a.Period != b.Period {
				return a.Period < b.Period
			}
			return a.Breakdown < b.Breakdown
		})
		p.Tables[id] = t
	}
	b, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func levelRank(l string) int { return strings.Index("county township village", l) }
