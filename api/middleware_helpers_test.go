package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// raw sends a request without the client's transparent decompression, so a
// test sees the bytes and headers exactly as the server sent them.
func raw(t testing.TB, ts *httptest.Server, method, path string, header ...string) response {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}
