package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"

	"shanyu/county"
	"shanyu/snapshot"
)

// Version returns the content version of ds: a hash of its canonical
// encoding, so equal data has an equal version wherever it was loaded from.
func Version(ds *county.Dataset) (string, error) {
	enc, err := Encode(ds)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, name := range Names {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(enc[name])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20], nil
}

// Load reads the bundle in fsys and builds its snapshot.
func Load(fsys fs.FS) (*snapshot.Snapshot, error) {
	ds, err := Read(fsys)
	if err != nil {
		return nil, err
	}
	v, err := Version(ds)
	if err != nil {
		return nil, err
	}
	return snapshot.New(ds, v), nil
}
