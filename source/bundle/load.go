package bundle

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"

	"shanyu/county"
	"shanyu/snapshot"
)

// Version returns the content version of ds: a hash of its canonical
// encoding, so equal data has an equal version wherever it was loaded from.
// The files are rendered straight into the hash in one pass, each named and
// ended by a zero byte; a file the dataset lacks hashes as empty.
func Version(ds *county.Dataset) (string, error) {
	h := sha256.New()
	bw := bufio.NewWriterSize(h, 64<<10)
	next := 0 // index in Names of the next file to hash
	sep := func(upTo string) {
		for ; next < len(Names) && Names[next] != upTo; next++ {
			bw.WriteString(Names[next])
			bw.Write([]byte{0, 0})
		}
	}
	err := encodeFiles(ds, func(name string, body func(io.Writer) error) error {
		sep(name)
		bw.WriteString(name)
		bw.WriteByte(0)
		if err := body(bw); err != nil {
			return err
		}
		next++
		return bw.WriteByte(0)
	})
	if err != nil {
		return "", err
	}
	sep("")
	if err := bw.Flush(); err != nil {
		return "", err
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
