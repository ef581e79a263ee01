package county_test

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"shanyu/county"
)

// TestValidateFindsRepeatedIDs checks both ways Validate looks for repeated
// ids — by neighbours when the facilities come in id order, through a set
// otherwise — among facilities and between facilities and paediatric units.
func TestValidateFindsRepeatedIDs(t *testing.T) {
	room := func(id string) county.Facility {
		return county.Facility{ID: id, Kind: county.NursingRoom, NameZh: "母婴室", VenueType: "mall", Star: 1,
			Point: orb.Point{119.06, 27.62}}
	}
	unit := func(id string) county.PaediatricUnit {
		return county.PaediatricUnit{ID: id, NameZh: "卫生院", Type: "township_health_centre", Point: orb.Point{119.06, 27.62}}
	}
	for _, tt := range []struct {
		name       string
		facilities []string
		units      []string
		want       string // "" for valid
	}{
		{"sorted, distinct", []string{"A", "B", "C"}, []string{"U"}, ""},
		{"unsorted, distinct", []string{"C", "A", "B"}, []string{"U"}, ""},
		{"sorted, repeated", []string{"A", "B", "B", "C"}, nil, "facility B: id appears twice"},
		{"unsorted, repeated", []string{"B", "A", "B"}, nil, "facility B: id appears twice"},
		{"sorted, unit repeats a facility", []string{"A", "B"}, []string{"B"}, "paediatric unit B: id appears twice"},
		{"unsorted, unit repeats a facility", []string{"B", "A"}, []string{"B"}, "paediatric unit B: id appears twice"},
		{"units repeat each other", []string{"A"}, []string{"U", "U"}, "paediatric unit U: id appears twice"},
	} {
		ds := &county.Dataset{}
		for _, id := range tt.facilities {
			ds.Facilities = append(ds.Facilities, room(id))
		}
		for _, id := range tt.units {
			ds.Paediatric = append(ds.Paediatric, unit(id))
		}
		err := county.Validate(ds)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}
