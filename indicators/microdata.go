package indicators

// Microdata are the personal records behind the indicators. They live in
// the database's private schema (or in memory for the sample) and are never
// served: only Publish's protected tables are.
type Microdata struct {
	Births          []Birth          `json:"births"`
	Deaths          []Death          `json:"deaths"`
	Marriages       []Marriage       `json:"marriages"`
	Pregnancies     []Pregnancy      `json:"pregnancies"`
	ChildScreenings []ChildScreening `json:"child_screenings"`
	Payments        []Payment        `json:"payments"`
	// Women counts the county's women by age band and year, for the total
	// fertility rate.
	Women []WomenCount `json:"women"`
}

// WomenCount is the county's women of one age band in one year.
type WomenCount struct {
	Year  int    `json:"year"`
	Band  string `json:"band"`
	Women int    `json:"women"`
}

// Birth is one live birth: the mother's village, the date, the birth order
// (3 stands for third and later) and the mother's five-year age band.
type Birth struct {
	ID        string `json:"id"`
	Village   string `json:"village"`
	Date      string `json:"date"`
	Order     int    `json:"order"`
	MotherAge string `json:"mother_age"` // "15-19" … "45-49"
}

// Death is one death of a resident.
type Death struct {
	ID      string `json:"id"`
	Village string `json:"village"`
	Date    string `json:"date"`
}

// Marriage is one person registering a marriage, and whether they had the
// premarital medical check.
type Marriage struct {
	ID      string `json:"id"`
	Village string `json:"village"`
	Date    string `json:"date"`
	Checked bool   `json:"checked"`
}

// Pregnancy is one pregnancy registered, its order and whether it was
// screened.
type Pregnancy struct {
	ID       string `json:"id"`
	Village  string `json:"village"`
	Date     string `json:"date"`
	Order    int    `json:"order"`
	Screened bool   `json:"screened"`
}

// ChildScreening is one child under 3 in one year, and whether it had the
// developmental monitoring and screening that year.
type ChildScreening struct {
	ChildID  string `json:"child_id"`
	Village  string `json:"village"`
	Year     int    `json:"year"`
	Screened bool   `json:"screened"`
}

// Payment is one payment of the childcare allowance (a month, clause （八）)
// or of the pregnancy subsidy (once, clause （十三）).
type Payment struct {
	ID      string `json:"id"`
	ChildID string `json:"child_id"` // or pregnancy id
	Village string `json:"village"`
	Month   string `json:"month"` // YYYY-MM
	Kind    string `json:"kind"`  // childcare_allowance | pregnancy_subsidy
	Order   int    `json:"order"`
	Yuan    int    `json:"yuan"`
}

// Payment kinds.
const (
	ChildcareAllowance = "childcare_allowance"
	PregnancySubsidy   = "pregnancy_subsidy"
)

// AgeBands are the mothers' age bands of the total fertility rate.
var AgeBands = []string{"15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49"}

// Region is a region's place in the hierarchy.
type Region struct {
	Code, Level, Parent string
}

// Population is a region's public population figures in one year.
type Population struct {
	Code      string
	Year      int
	Total     int
	Age0to14  int
	Age15to64 int
	Age65Plus int
}
