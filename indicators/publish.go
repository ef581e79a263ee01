package indicators

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"shanyu/policy"
	"sort"
	"strconv"
	"strings"
)

// MethodVersion names the publication method; it changes when the tables or
// the rules change.
const MethodVersion = "shanyu-sdc-2"

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
	// Suppressed says in one sentence what the table hides and why.
	Suppressed string  `json:"what_is_suppressed"`
	Values     []Value `json:"values"`
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

// AuditSummary says that the release passed its audit, how large it was
// and what its protection cost.
type AuditSummary struct {
	ID         string `json:"id" doc:"Hash of the release and its suppression pattern"`
	Pass       bool   `json:"pass"`
	Rounds     int    `json:"rounds"`
	Cells      int    `json:"cells" doc:"Cells of the audited system: figures, hidden complements of rates and relations"`
	Suppressed int    `json:"suppressed" doc:"Cells of the system not published (hidden complements included)"`
	Relations  int    `json:"relations" doc:"Equations and inequalities between figures that the audit used"`
	Loss       Loss   `json:"loss"`
	Baseline   *Loss  `json:"baseline,omitempty" doc:"The loss of the release this one replaces, measured the same way"`
}

// Loss is what protecting a release cost readers: the figures drawn from
// microdata that it hides, and the share of the counted total they hold.
type Loss struct {
	Method     string  `json:"method"`
	Figures    int     `json:"figures" doc:"Figures drawn from microdata: counts, amounts, and the numerator and denominator of each rate"`
	Suppressed int     `json:"suppressed" doc:"Of them, hidden"`
	ValueShare float64 `json:"value_share" doc:"Share of the total of the hidden counts in the total of all counts (0 to 1)"`
	Cells      int     `json:"cells,omitempty" doc:"Cells of the audited system, as in the audit summary"`
	CellsSup   int     `json:"cells_suppressed,omitempty" doc:"Of them, not published"`
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

// Options set the thresholds and the releases a new one is audited with.
type Options struct {
	T, TSensitive float64
	// Previous is the release already public, if any: its figures stay
	// frozen and the new release is audited together with them.
	Previous *Publication
	// Baseline is the loss of the release this one replaces, reported
	// beside its own.
	Baseline *Loss
	// Benefits are the dataset's policy's benefit rules, which bind the
	// payment tables; a release needs them.
	Benefits *policy.Benefits
}

func (o Options) norm() Options {
	if o.T == 0 {
		o.T = DefaultT
	}
	if o.TSensitive == 0 {
		o.TSensitive = DefaultTSensitive
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

// sum is the value of terms over the builder's unknowns.
func sum(b *builder, ts []Term) float64 {
	var s float64
	for _, t := range ts {
		s += t.Coef * b.values[t.Var]
	}
	return s
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
// from: every published count is the true one, no cell that the primary
// rule hides is shown, and the suppression pattern it shows passes the
// audit with every relation. A release is published only when it does.
func Verify(pub *Publication, md *Microdata, regions []Region, population []Population, benefits *policy.Benefits) error {
	rel, lay, err := BuildRelease(md, regions, population, Options{T: pub.T, TSensitive: pub.TSensitive, Benefits: benefits})
	if err != nil {
		return err
	}
	rel.markPrimary()
	sup := make([]bool, len(rel.Cells))
	for i := range rel.Cells {
		c := &rel.Cells[i]
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
			if c.Fixed {
				return fmt.Errorf("%s is public and must be published", c.ID)
			}
			sup[i] = true
			continue
		}
		if math.Abs(*v-c.Value) > 1e-9 {
			return fmt.Errorf("%s is published as %v, the microdata say %v", c.ID, *v, c.Value)
		}
		if c.Primary {
			return fmt.Errorf("%s is hidden by the primary rule and published", c.ID)
		}
	}
	if audit, failing := rel.auditAll(sup, false, nil); len(failing) > 0 {
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
		table := screeningTable[name]
		if part == "num" {
			return find(table, parts[1], parts[2], "", func(v Value) *float64 { return v.Numerator })
		}
		return find(table, parts[1], parts[2], "", func(v Value) *float64 { return v.Denominator })
	}
	return nil, false
}

// BuildRelease builds the fixed tables' cells from microdata, and every
// relation of the catalogue (Relations) that ties them, as one linear
// system: the release is protected and audited as a whole.
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
	// Fixed, non-overlapping, complete three-year blocks for villages: a
	// block is published once all its years are in (a block that grew year
	// by year would give single years back by difference).
	var blocks []string
	blockOf := map[int]string{}
	for i := 0; i+2 < len(years); i += 3 {
		name := fmt.Sprintf("%d-%d", years[i], years[i+2])
		blocks = append(blocks, name)
		for _, y := range years[i : i+3] {
			blockOf[y] = name
		}
	}
	pol, err := policyNumbers(opt.Benefits)
	if err != nil {
		return nil, nil, err
	}
	isYear := map[int]bool{}
	for _, y := range years {
		isYear[y] = true
	}
	// The allowance window reaches into a fourth calendar year (children
	// born February to December are paid until 36 months old): births of
	// such a year are split by birth month, January or later.
	split := func(y int) bool { return y >= pol.allowanceFromYear && isYear[y+3] }
	b := &builder{vars: map[string]int{}, index: map[string]int{}}
	for _, t := range townships {
		for _, y := range years {
			for k := 1; k <= 3; k++ {
				if split(y) {
					b.v(fmt.Sprintf("oj|%s|%d|%d", t, y, k))
					b.v(fmt.Sprintf("ol|%s|%d|%d", t, y, k))
				} else {
					b.v(fmt.Sprintf("o|%s|%d|%d", t, y, k))
				}
			}
		}
	}
	// births(t, y, k) as terms.
	bt := func(t string, y, k int) []Term {
		if split(y) {
			return terms(b, fmt.Sprintf("oj|%s|%d|%d", t, y, k), fmt.Sprintf("ol|%s|%d|%d", t, y, k))
		}
		return terms(b, fmt.Sprintf("o|%s|%d|%d", t, y, k))
	}
	// Unknowns, filled from the microdata.
	windowTrue := map[string]float64{} // births paid the allowance in year y, by order: county|y|k
	for _, x := range md.Births {
		y, t := year(x.Date), town[x.Village]
		switch {
		case split(y) && x.Date[5:7] == "01":
			b.add(fmt.Sprintf("oj|%s|%d|%d", t, y, x.Order), 1)
		case split(y):
			b.add(fmt.Sprintf("ol|%s|%d|%d", t, y, x.Order), 1)
		default:
			b.add(fmt.Sprintf("o|%s|%d|%d", t, y, x.Order), 1)
		}
		if blk, ok := blockOf[y]; ok {
			b.add(fmt.Sprintf("vb|%s|%s", x.Village, blk), 1)
		}
		if x.Order >= 2 && x.Date >= pol.allowanceFrom {
			last := y + 2
			if x.Date[5:7] != "01" {
				last = y + 3
			}
			for py := y; py <= last; py++ {
				windowTrue[fmt.Sprintf("%d|%d", py, x.Order)]++
			}
		}
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
	allowTrue := map[string]float64{} // county|y|k families
	months := map[string]float64{}    // y|k child-months paid
	allowYuan := map[int]float64{}
	pregYuan := map[int]float64{}
	paidChild := map[string]bool{}
	for _, x := range md.Payments {
		y := year(x.Month)
		switch x.Kind {
		case ChildcareAllowance:
			key := fmt.Sprintf("%s|%d", x.ChildID, y)
			if !paidChild[key] {
				paidChild[key] = true
				allowTrue[fmt.Sprintf("%d|%d", y, x.Order)]++
			}
			months[fmt.Sprintf("%d|%d", y, x.Order)]++
			allowYuan[y] += float64(x.Yuan)
		case PregnancySubsidy:
			b.add(fmt.Sprintf("preg|%s|%d", town[x.Village], y), 1)
			pregYuan[y] += float64(x.Yuan)
		}
	}
	townVillages := map[string][]string{}
	for _, v := range villages {
		townVillages[town[v]] = append(townVillages[town[v]], v)
	}
	T, TS := opt.T, opt.TSensitive
	// relation adds an identity Σ terms − slack = 0 (an inequality when
	// slack is set) when it holds in the data; it returns whether it did.
	slackN := 0
	relation := func(id, rel string, ts []Term, inequality bool) bool {
		var sum float64
		for _, t := range ts {
			sum += t.Coef * b.values[t.Var]
		}
		if inequality {
			if sum < -1e-9 {
				return false
			}
			slackN++
			s := b.v(fmt.Sprintf("slack|%d", slackN))
			b.values[s] = sum
			ts = append(ts, Term{Var: s, Coef: -1})
		} else if math.Abs(sum) > 1e-9 {
			return false
		}
		b.cell(Cell{ID: "identity|" + id, Terms: ts, Fixed: true, Identity: true, Relation: rel})
		return true
	}
	neg := func(ts []Term) []Term {
		out := make([]Term, len(ts))
		for i, t := range ts {
			out[i] = Term{Var: t.Var, Coef: -t.Coef}
		}
		return out
	}
	scale := func(ts []Term, f float64) []Term {
		out := make([]Term, len(ts))
		for i, t := range ts {
			out[i] = Term{Var: t.Var, Coef: f * t.Coef}
		}
		return out
	}
	cat := func(parts ...[]Term) []Term {
		var out []Term
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}

	// Births by township, year and order, their totals, the county's;
	// shares' complements (births that were not third births).
	for _, y := range years {
		for k := 1; k <= 3; k++ {
			var all []Term
			for _, t := range townships {
				b.cell(Cell{ID: fmt.Sprintf("births_by_order|%s|%d|%d", t, y, k), Terms: bt(t, y, k), Level: 1, T: T})
				all = append(all, bt(t, y, k)...)
			}
			b.cell(Cell{ID: fmt.Sprintf("births_by_order|%s|%d|%d", county, y, k), Terms: all, Level: 2, T: T})
		}
		var all, notThird []Term
		for _, t := range townships {
			ts := cat(bt(t, y, 1), bt(t, y, 2), bt(t, y, 3))
			b.cell(Cell{ID: fmt.Sprintf("births|%s|%d", t, y), Terms: ts, Level: 1, T: T})
			if sum(b, ts) > 0 {
				b.cell(Cell{ID: fmt.Sprintf("third_out|%s|%d", t, y), Terms: cat(bt(t, y, 1), bt(t, y, 2)), Level: 1, T: T, Virtual: true})
			}
			all = append(all, ts...)
			notThird = append(notThird, bt(t, y, 1)...)
			notThird = append(notThird, bt(t, y, 2)...)
		}
		b.cell(Cell{ID: fmt.Sprintf("births|%s|%d", county, y), Terms: all, Level: 2, T: T})
		b.cell(Cell{ID: fmt.Sprintf("third_out|%s|%d", county, y), Terms: notThird, Level: 2, T: T, Virtual: true})
	}
	// Villages in blocks, tied to their township's years.
	for _, blk := range blocks {
		for _, t := range townships {
			var id []Term
			for _, v := range townVillages[t] {
				key := fmt.Sprintf("vb|%s|%s", v, blk)
				b.cell(Cell{ID: fmt.Sprintf("births|%s|%s", v, blk), Terms: terms(b, key), Level: 0, T: T})
				id = append(id, terms(b, key)...)
			}
			for _, y := range years {
				if blockOf[y] == blk {
					for k := 1; k <= 3; k++ {
						id = append(id, neg(bt(t, y, k))...)
					}
				}
			}
			relation(fmt.Sprintf("births|%s|%s", t, blk), RelVillageBlocks, id, false)
		}
	}
	// Deaths. The natural growth rate adds no cell: it is shown only where
	// births and deaths both are.
	for _, y := range years {
		var all []Term
		for _, t := range townships {
			d := terms(b, fmt.Sprintf("d|%s|%d", t, y))
			b.cell(Cell{ID: fmt.Sprintf("deaths|%s|%d", t, y), Terms: d, Level: 1, T: T})
			all = append(all, d...)
		}
		b.cell(Cell{ID: fmt.Sprintf("deaths|%s|%d", county, y), Terms: all, Level: 2, T: T})
	}
	// Screening rates: numerator, denominator, and the complement (who was
	// not screened), never published but hidden when small. The children
	// under 3 are public (population in /regions and /coverage).
	for _, kind := range []string{"premarital", "prenatal", "developmental"} {
		public := kind == "developmental"
		for _, y := range years {
			var yes, no []Term
			var den float64
			for _, r := range append(append([]string{}, townships...), county) {
				var ty, tn []Term
				level := 1
				if r == county {
					ty, tn, level = yes, no, 2
				} else {
					ty, tn = terms(b, fmt.Sprintf("%s|%s|%d|true", kind, r, y)), terms(b, fmt.Sprintf("%s|%s|%d|false", kind, r, y))
					yes, no = append(yes, ty...), append(no, tn...)
				}
				den = 0
				for _, t := range cat(ty, tn) {
					den += b.values[t.Var]
				}
				// With a public denominator d, nobody can be kept less
				// certain than "somewhere from 0 to d".
				ceiling := 0.0
				if public {
					ceiling = den
				}
				b.cell(Cell{ID: fmt.Sprintf("%s_num|%s|%d", kind, r, y), Terms: ty, Level: level, T: T,
					SmallBase: den > 0 && den < MinRateDenominator, MaxWidth: ceiling})
				b.cell(Cell{ID: fmt.Sprintf("%s_den|%s|%d", kind, r, y), Terms: cat(ty, tn), Level: level, T: T, Fixed: public, Public: public})
				if den > 0 { // nobody to tell about when nobody is counted
					b.cell(Cell{ID: fmt.Sprintf("%s_out|%s|%d", kind, r, y), Terms: tn, Level: level, T: T, Virtual: true, MaxWidth: ceiling})
				}
			}
		}
	}
	// The childcare allowance (clause （八）): families by order, for the
	// county only — by township it would pin the townships' births by order
	// (T = 5) to T = 10 — tied to the births of the last 36 months; the
	// yuan paid, 300 or 600 a month per child.
	for _, y := range years {
		for _, k := range []int{2, 3} {
			var window []Term
			for _, t := range townships {
				for by := y - 3; by <= y; by++ {
					if by < pol.allowanceFromYear || !isYear[by] {
						continue
					}
					switch {
					case by == y-3 && split(by):
						window = append(window, terms(b, fmt.Sprintf("ol|%s|%d|%d", t, by, k))...)
					case by > y-3:
						window = append(window, bt(t, by, k)...)
					}
				}
			}
			key := fmt.Sprintf("%d|%d", y, k)
			fam := window
			if allowTrue[key] != windowTrue[key] || (y-3 >= pol.allowanceFromYear && !isYear[y-3]) {
				// The payments do not follow the births exactly (or the
				// window starts before the data): families are an unknown.
				fam = terms(b, "allow|"+key)
				b.values[fam[0].Var] = allowTrue[key]
			}
			// The county's families are its births by order over the window,
			// which the births tables show at T: the same threshold applies
			// (a higher one could not be kept while the births are shown).
			b.cell(Cell{ID: fmt.Sprintf("allowance_families|%s|%d|%d", county, y, k), Terms: fam, Level: 2, T: T})
			m := terms(b, "months|"+key)
			b.values[m[0].Var] = months[key]
			relation("months_at_least_families|"+key, RelAllowanceYuan, cat(m, neg(fam)), true)
			relation("months_at_most_12|"+key, RelAllowanceYuan, cat(scale(fam, 12), neg(m)), true)
		}
		money := cat(scale(terms(b, fmt.Sprintf("months|%d|2", y)), pol.allowance[2]), scale(terms(b, fmt.Sprintf("months|%d|3", y)), pol.allowance[3]))
		if math.Abs(pol.allowance[2]*months[fmt.Sprintf("%d|2", y)]+pol.allowance[3]*months[fmt.Sprintf("%d|3", y)]-allowYuan[y]) > 1e-6 {
			money = terms(b, fmt.Sprintf("allowyuan|%d", y))
			b.values[money[0].Var] = allowYuan[y]
		}
		b.cell(Cell{ID: fmt.Sprintf("allowance_yuan|%s|%d", county, y), Terms: money, Level: 2, T: T, Amount: true})
	}
	// The pregnancy subsidy (clause （十三）): families by township, at most
	// the pregnancies registered that year, at least the 2nd and 3rd births
	// (every birth was a registered pregnancy); 500 yuan each.
	for _, y := range years {
		var all []Term
		for _, t := range townships {
			p := terms(b, fmt.Sprintf("preg|%s|%d", t, y))
			b.cell(Cell{ID: fmt.Sprintf("pregnancy_subsidy_families|%s|%d", t, y), Terms: p, Level: 1, T: TS, Sensitive: true})
			all = append(all, p...)
			pregnancies := terms(b, fmt.Sprintf("prenatal|%s|%d|true", t, y), fmt.Sprintf("prenatal|%s|%d|false", t, y))
			relation(fmt.Sprintf("subsidy_at_most_pregnancies|%s|%d", t, y), RelPregnancySubsidyPregnancies, cat(pregnancies, neg(p)), true)
			// Every birth was a registered pregnancy of its year, and a
			// pregnancy that ended in a first birth is not a subsidised one.
			relation(fmt.Sprintf("births_at_most_pregnancies|%s|%d", t, y), RelBirthsPregnancies,
				cat(pregnancies, neg(bt(t, y, 1)), neg(bt(t, y, 2)), neg(bt(t, y, 3))), true)
			relation(fmt.Sprintf("pregnancies_at_least_first_births_and_subsidy|%s|%d", t, y), RelFirstBirthsSubsidy,
				cat(pregnancies, neg(bt(t, y, 1)), neg(p)), true)
			if y < pol.pregnancyFromYear {
				relation(fmt.Sprintf("no_subsidy_before_the_policy|%s|%d", t, y), RelPolicyStart, p, false)
			} else {
				relation(fmt.Sprintf("subsidy_at_least_births|%s|%d", t, y), RelPregnancySubsidyBirths, cat(p, neg(bt(t, y, 2)), neg(bt(t, y, 3))), true)
			}
		}
		b.cell(Cell{ID: fmt.Sprintf("pregnancy_subsidy_families|%s|%d", county, y), Terms: all, Level: 2, T: TS, Sensitive: true})
		money := scale(all, pol.pregnancy)
		var n float64
		for _, t := range all {
			n += b.values[t.Var]
		}
		if math.Abs(n*pol.pregnancy-pregYuan[y]) > 1e-6 {
			money = terms(b, fmt.Sprintf("pregyuan|%d", y))
			b.values[money[0].Var] = pregYuan[y]
		}
		b.cell(Cell{ID: fmt.Sprintf("pregnancy_subsidy_yuan|%s|%d", county, y), Terms: money, Level: 2, T: T, Amount: true})
	}
	// Cells were valued as they were made; slacks and amounts set after
	// them are valued again.
	for i := range b.cells {
		var sum float64
		for _, t := range b.cells[i].Terms {
			sum += t.Coef * b.values[t.Var]
		}
		b.cells[i].Value = sum
	}
	rel := &Release{Unknowns: len(b.values), Cells: b.cells, T: opt.T, TSensitive: opt.TSensitive, Aux: make([]bool, len(b.values))}
	for key, v := range b.vars {
		for _, prefix := range []string{"months|", "slack|", "allowyuan|", "pregyuan|"} {
			if strings.HasPrefix(key, prefix) {
				rel.Aux[v] = true
			}
		}
	}
	lay := &layout{b: b, county: county, townships: townships, villages: villages, years: years, blocks: blocks,
		md: md, population: population, opt: opt}
	if opt.Previous != nil {
		if err := freeze(rel, opt.Previous, county); err != nil {
			return nil, nil, err
		}
	}
	return rel, lay, nil
}

// freeze keeps every figure of an earlier release as it was published:
// shown figures stay shown (and must not have changed), hidden ones stay
// hidden. The new release is audited together with them.
func freeze(rel *Release, prev *Publication, county string) error {
	for i := range rel.Cells {
		c := &rel.Cells[i]
		if c.Identity || c.Virtual {
			continue
		}
		v, found := lookupCell(prev, c.ID, county)
		switch {
		case !found:
		case v == nil:
			c.FrozenSuppressed = true
		case math.Abs(*v-c.Value) > 1e-9:
			return fmt.Errorf("%s was published as %v and the microdata now say %v: published figures stay frozen; "+
				"a revision needs a new method version", c.ID, *v, c.Value)
		default:
			c.Fixed = true
		}
	}
	return nil
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
	put := func(id string, t float64, v Value) {
		ind, _ := ByID(id)
		tb := pub.Tables[id]
		tb.Indicator, tb.Unit, tb.T, tb.Method = id, ind.Unit, t, MethodVersion+": small-count suppression with an audit of every relation between the published figures"
		tb.Sentence = Sentence(t)
		tb.Suppressed = ind.Protection
		if v.Value == nil {
			v.Status = "suppressed"
		} else {
			v.Status = "published"
		}
		tb.Values = append(tb.Values, v)
		pub.Tables[id] = tb
	}
	num := func(x float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		return &x
	}
	rate := func(n float64, nok bool, d float64, dok bool, scale float64, decimals int) (*float64, bool) {
		if !RateShown(nok, dok, d) {
			return nil, false
		}
		r := math.Round(n/d*scale*math.Pow(10, float64(decimals))) / math.Pow(10, float64(decimals))
		return &r, n < UnreliableEvents
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
			share, unreliable := rate(n3, ok3, tot, tok, 100, 1)
			put("third_birth_share", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: share, Unreliable: unreliable,
				Numerator: num(n3, ok3), Denominator: num(tot, tok)})
			d, dok := shown(fmt.Sprintf("deaths|%s|%d", r, y))
			put("deaths", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: num(d, dok)})
			var ng *float64
			ngUnreliable := false
			if p, ok := pop[fmt.Sprintf("%s|%d", r, y)]; ok && p.Total > 0 && tok && dok {
				x := math.Round((tot-d)/float64(p.Total)*1000*100) / 100
				ng, ngUnreliable = &x, tot+d < UnreliableEvents
			}
			put("natural_growth_rate", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: ng, Unreliable: ngUnreliable})
			if p, ok := pop[fmt.Sprintf("%s|%d", r, y)]; ok && p.Age15to64 > 0 {
				x := math.Round(float64(p.Age0to14+p.Age65Plus)/float64(p.Age15to64)*100*10) / 10
				put("total_dependency_ratio", opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: &x})
			}
			for _, kind := range []string{"premarital", "prenatal", "developmental"} {
				n, nok := shown(fmt.Sprintf("%s_num|%s|%d", kind, r, y))
				dd, ddok := shown(fmt.Sprintf("%s_den|%s|%d", kind, r, y))
				v, unreliable := rate(n, nok, dd, ddok, 100, 1)
				put(screeningTable[kind], opt.T, Value{Region: r, Level: levelOf(r), Period: ys, Value: v, Unreliable: unreliable,
					Numerator: num(n, nok), Denominator: num(dd, ddok)})
			}
			n, ok := shown(fmt.Sprintf("pregnancy_subsidy_families|%s|%d", r, y))
			put("pregnancy_subsidy_families", opt.TSensitive, Value{Region: r, Level: levelOf(r), Period: ys, Value: num(n, ok)})
		}
		for _, k := range []int{2, 3} {
			n, ok := shown(fmt.Sprintf("allowance_families|%s|%d|%d", county, y, k))
			put("allowance_families", opt.T, Value{Region: county, Level: "county", Period: ys, Breakdown: "order=" + strconv.Itoa(k), Value: num(n, ok)})
		}
		m, ok := shown(fmt.Sprintf("allowance_yuan|%s|%d", county, y))
		put("allowance_yuan", opt.T, Value{Region: county, Level: "county", Period: ys, Value: num(m, ok)})
		m, ok = shown(fmt.Sprintf("pregnancy_subsidy_yuan|%s|%d", county, y))
		put("pregnancy_subsidy_yuan", opt.T, Value{Region: county, Level: "county", Period: ys, Value: num(m, ok)})
		tfr, births := totalFertility(md, y)
		var tv *float64
		if births >= MinTFRBirths && !math.IsNaN(tfr) {
			x := math.Round(tfr*1000) / 1000
			tv = &x
		}
		put("total_fertility_rate", opt.T, Value{Region: county, Level: "county", Period: ys, Value: tv, Unreliable: births < UnreliableEvents})
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
	suppressed, relations := 0, 0
	loss := Loss{Method: MethodVersion}
	var total, hidden float64
	for i, c := range rel.Cells {
		fmt.Fprintf(h, "%s=%v:%v;", c.ID, c.Value, res.Suppressed[i])
		switch {
		case c.Identity:
			relations++
			continue
		case res.Suppressed[i]:
			suppressed++
		}
		if c.Virtual {
			continue
		}
		loss.Figures++
		if !c.Amount {
			total += c.Value
		}
		if res.Suppressed[i] {
			loss.Suppressed++
			if !c.Amount {
				hidden += c.Value
			}
		}
	}
	if total > 0 {
		loss.ValueShare = math.Round(hidden/total*1e4) / 1e4
	}
	loss.Cells, loss.CellsSup = len(rel.Cells)-relations, suppressed
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
	pub.Audit = AuditSummary{ID: id, Pass: true, Rounds: res.Rounds, Cells: len(rel.Cells) - relations, Suppressed: suppressed,
		Relations: relations, Loss: loss, Baseline: opt.Baseline}
	return pub, log
}

// screeningTable names the table of each screening rate.
var screeningTable = map[string]string{"premarital": "premarital_check_rate", "prenatal": "prenatal_screening_rate",
	"developmental": "developmental_screening_rate"}

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
