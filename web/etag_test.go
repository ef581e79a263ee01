package web

import "testing"

func TestETagMatch(t *testing.T) {
	for _, tt := range []struct {
		header, etag string
		want         bool
	}{
		{`"a"`, `"a"`, true}, {`W/"a"`, `"a"`, true}, {`"b", "a"`, `"a"`, true}, {`"a-gzip"`, `"a"`, true},
		{`"a-br"`, `"a"`, true}, {"*", `"a"`, true}, {`"b"`, `"a"`, false}, {`"ab"`, `"a"`, false}, {"", `"a"`, false},
	} {
		if got := ETagMatch(tt.header, tt.etag); got != tt.want {
			t.Errorf("ETagMatch(%s, %s) = %v", tt.header, tt.etag, got)
		}
	}
}
