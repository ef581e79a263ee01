package api

import "testing"

// TestImmutableNames: only names that carry a version or a content hash
// may be cached as immutable.
func TestImmutableNames(t *testing.T) {
	for name, want := range map[string]bool{
		"leaflet@1.9.4.js": true, "app-1.2.0.css": true, "app.3f9a2c1b.js": true, "swagger-ui-5.17.14.css": true,
		"app.js": false, "leaflet.js": false, "index.html": false, "style.css": false, "marker-icon-2x.png": false,
	} {
		if got := versioned.MatchString(name); got != want {
			t.Errorf("%s: immutable %v, want %v", name, got, want)
		}
	}
}
