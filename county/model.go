package county

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"shanyu/indicators"
	"shanyu/policy"
)

// Kind is the kind of a facility the public looks for.
type Kind string

// The facility kinds.
const (
	Childcare   Kind = "childcare"    // 托育机构, or a kindergarten's toddler class
	NursingRoom Kind = "nursing_room" // 母婴室
)

// Kinds lists every Kind, in the order the API documents them.
var Kinds = []Kind{Childcare, NursingRoom}

// Level is a region's level in the statistical division: county (6-digit
// code), township (9) or village or community (12).
type Level string

// The region levels.
const (
	LevelCounty   Level = "county"
	LevelTownship Level = "township"
	LevelVillage  Level = "village"
)

// Levels lists the region levels from the top down.
var Levels = []Level{LevelCounty, LevelTownship, LevelVillage}

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return slices.Contains(Levels, l) }

// CodeDigits is how many digits a statistical division code of level l
// has: 6, 9 or 12 (0 for an unknown level).
func (l Level) CodeDigits() int {
	return map[Level]int{LevelCounty: 6, LevelTownship: 9, LevelVillage: 12}[l]
}

// Childcare class names (clause （七）): 乳儿班, 托小班, 托大班, 混合班.
const (
	ClassInfant       = "infant"
	ClassToddlerSmall = "toddler_small"
	ClassToddlerLarge = "toddler_large"
	ClassMixed        = "mixed"
)

// Classes lists the childcare classes, youngest first.
var Classes = []string{ClassInfant, ClassToddlerSmall, ClassToddlerLarge, ClassMixed}

// Operator types of childcare centres.
var OperatorTypes = []string{"public", "private_inclusive", "private_for_profit", "employer"}

// Venue types of mother-and-baby rooms.
var VenueTypes = []string{"public_place", "workplace", "hospital", "station", "mall"}

// Paediatric institution types.
var PaediatricTypes = []string{"county_hospital", "mch_hospital", "tcm_hospital", "township_health_centre", "community_health_centre"}

// Dataset is everything a bundle or a database holds, before indexing: the
// raw material of a Snapshot.
type Dataset struct {
	Meta       Meta
	Regions    []Region
	Population []Population
	Facilities []Facility
	Paediatric []PaediatricUnit
	// Published holds the protected indicator tables (nil when none were
	// published); the microdata behind them are never part of a Dataset.
	Published *indicators.Publication
	// Policy is the county's policy document as data; nil when the dataset
	// carries none (then nothing is measured against any target).
	Policy *policy.Policy
}

// Meta describes where a data set comes from. Sample data says so.
type Meta struct {
	Title         string     `json:"title"`
	TitleZh       string     `json:"title_zh"`
	Sample        bool       `json:"sample"`
	Notice        string     `json:"notice"`
	NoticeZh      string     `json:"notice_zh"`
	Publisher     string     `json:"publisher,omitempty" doc:"The office that publishes the data"`
	Contact       string     `json:"contact,omitempty" doc:"How to reach the publisher: e-mail, telephone or address"`
	CountyCode    string     `json:"county_code"`
	ReferenceDate Date       `json:"reference_date" doc:"The date the figures describe (YYYY-MM-DD)"`
	GeneratedAt   time.Time  `json:"generated_at"`
	Licence       string     `json:"licence"`
	Sources       []Source   `json:"sources"`
	Generator     *Generator `json:"generator,omitempty" doc:"Present for generated (sample) data"`
}

// Described reports whether the dataset has been described: a title and a
// licence set by its publisher (shanyu describe) or by its bundle.
func (m *Meta) Described() bool {
	return (m.Title != "" || m.TitleZh != "") && m.Licence != ""
}

// Source is one origin of the data, with its licence.
type Source struct {
	Name    string `json:"name"`
	What    string `json:"what"`
	Licence string `json:"licence"`
}

// Generator names the program and seed that made a sample data set.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Seed    uint64 `json:"seed"`
}

// Region is a county, township or village/community with its boundary.
type Region struct {
	Code       string
	Level      Level
	NameZh     string
	NameEn     string
	ParentCode string
	// NewCommunity marks a newly built community, where the 10-per-1,000
	// childcare rule of clause （七） applies.
	NewCommunity bool
	// Illustrative marks a boundary drawn for the sample, not surveyed.
	Illustrative bool
	Geometry     orb.MultiPolygon
}

// Population is one region's residents in one year, by age band.
type Population struct {
	Code      string
	Year      int
	Total     int
	Under3    int
	Age0to14  int
	Age15to64 int
	Age65Plus int
}

// ClassCounts holds a number per childcare class.
type ClassCounts struct {
	Infant       int `json:"infant" doc:"乳儿班, about 6–12 months"`
	ToddlerSmall int `json:"toddler_small" doc:"托小班, 12–24 months"`
	ToddlerLarge int `json:"toddler_large" doc:"托大班, 24–36 months"`
	Mixed        int `json:"mixed" doc:"混合班, mixed ages"`
}

// Total returns the sum over the classes.
func (c ClassCounts) Total() int { return c.Infant + c.ToddlerSmall + c.ToddlerLarge + c.Mixed }

// Get returns the count of the named class, and false for an unknown name.
func (c ClassCounts) Get(class string) (int, bool) {
	switch class {
	case ClassInfant:
		return c.Infant, true
	case ClassToddlerSmall:
		return c.ToddlerSmall, true
	case ClassToddlerLarge:
		return c.ToddlerLarge, true
	case ClassMixed:
		return c.Mixed, true
	}
	return 0, false
}

// Facility is a childcare centre or a mother-and-baby room. The fields after
// the common ones apply to one kind only.
type Facility struct {
	ID           string
	Kind         Kind
	NameZh       string
	Point        orb.Point // WGS84 [lon, lat]
	Address      string
	Phone        string
	OpeningHours string
	OpenedOn     Date
	ClosedOn     Date // zero when still open

	// Childcare centres.
	OperatorType   string
	Slots          ClassCounts
	Enrolled       ClassCounts
	MonthlyFeeYuan int
	Inclusive      bool // 普惠
	Filed          bool // filed with the county health department (备案)

	// Mother-and-baby rooms. (The flags of both kinds sit together, in one
	// word: with a million facilities in memory, padding costs megabytes.)
	Accessible bool
	VenueType  string
	Star       int
	Amenities  []string
}

// OpenOn reports whether f is open on day d: opened on or before it and not
// closed on or before it.
func (f *Facility) OpenOn(d Date) bool {
	return (f.OpenedOn == "" || f.OpenedOn <= d) && (f.ClosedOn == "" || f.ClosedOn > d)
}

// PaediatricUnit is a hospital or health centre with its licensed
// (assistant) paediatric physicians, for the 1-per-1,000-children target.
type PaediatricUnit struct {
	ID             string
	NameZh         string
	Type           string
	Point          orb.Point
	Paediatricians int
}

// Date is a calendar day as YYYY-MM-DD; its string order is its time order.
// The zero Date means "none".
type Date string

// ParseDate checks s is a real calendar day in YYYY-MM-DD form.
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return Date(s), nil
}

// ChinaTime is China Standard Time (UTC+8, no daylight saving), fixed so
// that the binary needs no time-zone database.
var ChinaTime = time.FixedZone("CST", 8*3600)

// Today is the current date in China Standard Time: the day a "today"
// default means, whatever the server's own time zone.
func Today() Date { return Date(time.Now().In(ChinaTime).Format(time.DateOnly)) }

// Year returns the year of d, and 0 for an empty or malformed date.
func (d Date) Year() int {
	if len(d) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(string(d[:4]))
	return y
}

// IndicatorInputs gives the publisher the dataset's regions and public
// population figures in its own terms.
func (ds *Dataset) IndicatorInputs() ([]indicators.Region, []indicators.Population) {
	regions := make([]indicators.Region, len(ds.Regions))
	for i, r := range ds.Regions {
		regions[i] = indicators.Region{Code: r.Code, Level: string(r.Level), Parent: r.ParentCode}
	}
	pop := make([]indicators.Population, len(ds.Population))
	for i, p := range ds.Population {
		pop[i] = indicators.Population{Code: p.Code, Year: p.Year, Total: p.Total, Age0to14: p.Age0to14,
			Age15to64: p.Age15to64, Age65Plus: p.Age65Plus}
	}
	return regions, pop
}

// Counts are the sizes of a dataset, for its description and for the list
// of versions published.
type Counts struct {
	Townships       int `json:"townships"`
	Villages        int `json:"villages"`
	Childcare       int `json:"childcare"`
	NursingRooms    int `json:"nursing_rooms"`
	PaediatricUnits int `json:"paediatric_units"`
	Paediatricians  int `json:"paediatricians"`
}

// Counts counts what ds holds (closed facilities included).
func (ds *Dataset) Counts() Counts {
	var c Counts
	for _, r := range ds.Regions {
		switch r.Level {
		case LevelTownship:
			c.Townships++
		case LevelVillage:
			c.Villages++
		}
	}
	for _, f := range ds.Facilities {
		if f.Kind == Childcare {
			c.Childcare++
		} else {
			c.NursingRooms++
		}
	}
	c.PaediatricUnits = len(ds.Paediatric)
	for _, u := range ds.Paediatric {
		c.Paediatricians += u.Paediatricians
	}
	return c
}
