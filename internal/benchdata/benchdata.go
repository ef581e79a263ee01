// Package benchdata makes the large synthetic data sets the benchmarks
// share, so that figures from different packages measure the same data.
package benchdata

import (
	"fmt"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"shanyu/county"
)

// Facilities makes n facilities spread over China (80% in the east),
// half childcare, half mother-and-baby rooms, with realistic strings. The
// same seed every time, so benchmarks of different packages measure the
// same points.
func Facilities(n int) []county.Facility {
	r := rand.New(rand.NewPCG(42, 43))
	out := make([]county.Facility, n)
	for i := range out {
		lo, la := 73.5+r.Float64()*61.3, 18.2+r.Float64()*35.3
		if r.IntN(5) > 0 {
			lo, la = 102+r.Float64()*21, 21+r.Float64()*21
		}
		f := county.Facility{ID: fmt.Sprintf("F%07d", i), NameZh: fmt.Sprintf("第%d号托育园", i),
			Point: orb.Point{lo, la}, Address: fmt.Sprintf("某省某市某县某路%d号", i%900),
			Phone: "0578-6000000", OpeningHours: "周一至周五 07:30-17:30", OpenedOn: "2020-01-01"}
		if i%2 == 0 {
			f.Kind, f.OperatorType, f.Inclusive = county.Childcare, "private_inclusive", true
			f.Slots = county.ClassCounts{ToddlerSmall: 15, ToddlerLarge: 20}
			f.Enrolled = county.ClassCounts{ToddlerSmall: 12, ToddlerLarge: 18}
		} else {
			f.Kind, f.VenueType, f.Star = county.NursingRoom, "mall", 1+i%3
			f.Amenities = []string{"changing_table", "sink"}
		}
		out[i] = f
	}
	return out
}
