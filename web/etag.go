package web

import "strings"

// ETagMatch implements If-None-Match's weak comparison over a list of
// tags. A tag the compression middleware suffixed (-gzip, -br) matches the
// tag it came from: the representation differs, the resource does not.
func ETagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag || StripEncoding(t) == etag {
			return true
		}
	}
	return false
}

// StripEncoding removes a content-coding suffix from an ETag.
func StripEncoding(tag string) string {
	for _, suffix := range []string{`-gzip"`, `-br"`} {
		if base, ok := strings.CutSuffix(tag, suffix); ok {
			return base + `"`
		}
	}
	return tag
}
