package indicators

// The disclosure rules, written once. Every table, rate and flag of a
// release takes its thresholds from here.
const (
	// DefaultT is the primary threshold of ordinary tables: counts from 1
	// to DefaultT−1 are hidden.
	DefaultT = 5
	// DefaultTSensitive is the threshold of the sensitive tables (families
	// receiving a subsidy).
	DefaultTSensitive = 10
	// MinRateDenominator is the smallest denominator a rate is shown on.
	MinRateDenominator = 20
	// UnreliableEvents flags a rate or count resting on fewer events.
	UnreliableEvents = 20
	// MinTFRBirths is the fewest births a total fertility rate is computed on.
	MinTFRBirths = 10
)

// PrimaryRule says whether a cell is hidden on its own (primary
// suppression), given its value and the threshold t of its table:
//   - a count from 1 to t−1 (zeros are shown: a table of births has many);
//   - the complement of a rate (who was not screened, births that were not
//     third births) below t, zero included: "everyone was screened" tells
//     about each person, so the rate and its parts are hidden with it;
//   - a rate's numerator whose denominator is under MinRateDenominator,
//     zero included (smallBase);
//   - never an amount of money or an equation on its own (noCount): money is
//     protected through the families it is paid to.
func PrimaryRule(value, t float64, complement, noCount, smallBase bool) bool {
	switch {
	case noCount:
		return false
	case complement:
		return value < t
	case smallBase:
		return true
	}
	return value > 0 && value < t
}

// RateShown says whether a rate is published: its numerator and
// denominator are both published and the denominator is at least
// MinRateDenominator. (The rule's other conditions — numerator below T,
// complement below T — are primary suppressions of the cells themselves.)
func RateShown(numeratorShown, denominatorShown bool, denominator float64) bool {
	return numeratorShown && denominatorShown && denominator >= MinRateDenominator
}
