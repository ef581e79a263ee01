package bundle_test

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"

	"errors"
	"shanyu/county"
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

// TestVersionIsHashOfEncoding checks that the one-pass version (files
// rendered straight into the hash) is the hash of Encode's files, each named
// and ended by a zero byte, a missing file hashing as empty — whatever order
// the rows come in, with and without published indicators.
func TestVersionIsHashOfEncoding(t *testing.T) {
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	reference := func(ds *county.Dataset) string {
		enc, err := bundle.Encode(ds)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, name := range bundle.Names {
			h.Write([]byte(name))
			h.Write([]byte{0})
			h.Write(enc[name])
			h.Write([]byte{0})
		}
		return hex.EncodeToString(h.Sum(nil))[:20]
	}
	check := func(what string, ds *county.Dataset) string {
		t.Helper()
		v, err := bundle.Version(ds)
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(ds); v != want {
			t.Errorf("%s: version %s, hash of the encoding %s", what, v, want)
		}
		return v
	}
	whole := check("sample", ds)
	r := rand.New(rand.NewPCG(1, 1))
	shuffled := *ds
	shuffled.Facilities = slices.Clone(ds.Facilities)
	shuffled.Regions = slices.Clone(ds.Regions)
	r.Shuffle(len(shuffled.Facilities), func(i, j int) {
		shuffled.Facilities[i], shuffled.Facilities[j] = shuffled.Facilities[j], shuffled.Facilities[i]
	})
	r.Shuffle(len(shuffled.Regions), func(i, j int) { shuffled.Regions[i], shuffled.Regions[j] = shuffled.Regions[j], shuffled.Regions[i] })
	if v := check("shuffled", &shuffled); v != whole {
		t.Errorf("rows in another order changed the version: %s, want %s", v, whole)
	}
	if ds.Published == nil {
		t.Fatal("the sample has no published indicators; this test wants both cases")
	}
	bare := *ds
	bare.Published = nil
	if v := check("without indicators", &bare); v == whole {
		t.Error("dropping the indicators kept the version")
	}
}
