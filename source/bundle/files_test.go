package bundle_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

func TestSampleLoads(t *testing.T) {
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	c := snap.Counts()
	if c.Townships != 19 || c.Villages != 203 {
		t.Errorf("townships, villages = %d, %d; want 19, 203", c.Townships, c.Villages)
	}
	if c.Childcare < 40 || c.Childcare > 80 || c.NursingRooms < 60 || c.NursingRooms > 120 {
		t.Errorf("childcare %d (want 40–80), nursing rooms %d (want 60–120)", c.Childcare, c.NursingRooms)
	}
	if !snap.Meta.Sample || !strings.Contains(snap.Meta.Notice, "not official statistics") {
		t.Errorf("sample data must say so: sample=%v notice=%q", snap.Meta.Sample, snap.Meta.Notice)
	}
	// Every facility of the sample lies in a village of the county.
	page, _ := snap.Facilities(snapshot.Query{Limit: -1})
	for _, m := range page {
		if m.Place.Village == "" || m.Place.County != "331126" {
			t.Errorf("facility %s at %v placed in %+v", m.Facility.ID, m.Facility.Point, m.Place)
		}
	}
}

// TestVersionFollowsContent: the same data gives the same version, one
// changed byte another.
func TestVersionFollowsContent(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range bundle.Names {
		b, err := fstestRead(name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	a, err := bundle.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := bundle.Load(sample.Bundle())
	if a.Version != b.Version {
		t.Errorf("same content, versions %s and %s", a.Version, b.Version)
	}
	fsys[bundle.ChildcareFile].Data = []byte(strings.Replace(string(fsys[bundle.ChildcareFile].Data), "CC0001,", "CC9999,", 1))
	c, err := bundle.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version == a.Version {
		t.Error("changed content kept its version")
	}
}

func fstestRead(name string) ([]byte, error) {
	f, err := sample.Bundle().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, _ := f.Stat()
	b := make([]byte, st.Size())
	_, err = f.Read(b)
	return b, err
}

func TestReadRejectsBadRows(t *testing.T) {
	base := map[string]string{}
	for _, name := range bundle.Names {
		b, _ := fstestRead(name)
		base[name] = string(b)
	}
	cases := []struct {
		name, file, from, to, want string
	}{
		{"longitude out of range", bundle.ChildcareFile, "CC0001,彩虹托育园（新建社区）,private_inclusive,true,true,119.", "CC0001,彩虹托育园（新建社区）,private_inclusive,true,true,219.", "longitude"},
		{"duplicate id", bundle.ChildcareFile, "CC0002,", "CC0001,", "appears twice"},
		{"unknown operator", bundle.ChildcareFile, "private_inclusive", "charity", "operator_type"},
		{"bad star", bundle.NursingRoomsFile, ",hospital,1,", ",hospital,4,", "star 4"},
		{"bad date", bundle.NursingRoomsFile, ",\nNR0002", ",2019-02-30\nNR0002", "YYYY-MM-DD"},
		{"unknown region", bundle.PopulationFile, "331126,2020", "999999,2020", "not a region"},
		{"not a number", bundle.PopulationFile, "331126,2020,", "331126,twenty,", "whole number"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, s := range base {
				if name == tt.file {
					if !strings.Contains(s, tt.from) {
						t.Fatalf("fixture text %q not in %s", tt.from, name)
					}
					s = strings.Replace(s, tt.from, tt.to, 1)
				}
				fsys[name] = &fstest.MapFile{Data: []byte(s)}
			}
			_, err := bundle.Read(fsys)
			if !errors.Is(err, bundle.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read = %v, want an ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}
