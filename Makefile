# shanyu — the two commands of the README:
#   make run    serves the bundled sample county at http://127.0.0.1:8080
#               (make run PORT=9090 HOST=0.0.0.0 to change where)
#   make test   installs what the tests need (where missing), lints, runs them all

GO      ?= go
VENDOR  := dashboard/static/vendor
STAMP   := $(VENDOR)/.installed

# Pinned linter, fetched through the Go module proxy on first use.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# The race detector runs where concurrency lives: the server and its
# snapshot swaps, the snapshot's caches, the PostGIS reload loop, the binary's
# tests. The linear-programming tests (the disclosure audit, the attack on it,
# publishing) have none and run 10 times slower under it: they run without,
# as do the other packages.
RACE_PKGS    := ./api ./web ./cmd/shanyu ./snapshot ./source/...
NORACE_TESTS := ^(TestAttackFailsToPinSuppressedCells|TestPublishFromPrivateMicrodata)$$

.PHONY: run test lint assets build openapi sample bench bench-postgis load soak fuzz lighthouse clean

run: assets
	$(GO) run ./cmd/shanyu serve $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))

build: assets
	$(GO) build -o bin/shanyu ./cmd/shanyu

# Prints each package's result, the output of failing tests, the ten
# slowest tests and a closing count; exits non-zero on any failure.
test: assets lint
	scripts/install-test-deps
	$(GO) build -o bin/testsum ./tools/testsum
	bin/testsum -race '$(RACE_PKGS)' -norace-tests '$(NORACE_TESTS)' ./...

lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Front-end libraries: pinned in dashboard/package-lock.json, installed from
# npm, copied into the embedded folder, never committed.
assets: $(STAMP)

$(STAMP): dashboard/package.json dashboard/package-lock.json
	cd dashboard && npm ci --ignore-scripts --no-audit --no-fund
	rm -rf $(VENDOR)/leaflet $(VENDOR)/swagger-ui $(VENDOR)/leaflet.vectorgrid
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/swagger-ui $(VENDOR)/leaflet.vectorgrid
	cp -r dashboard/node_modules/leaflet/dist/leaflet.js dashboard/node_modules/leaflet/dist/leaflet.css \
		dashboard/node_modules/leaflet/dist/images dashboard/node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp dashboard/node_modules/swagger-ui-dist/swagger-ui-bundle.js dashboard/node_modules/swagger-ui-dist/swagger-ui.css \
		dashboard/node_modules/swagger-ui-dist/LICENSE dashboard/node_modules/swagger-ui-dist/NOTICE $(VENDOR)/swagger-ui/
	cp dashboard/node_modules/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js \
		dashboard/node_modules/leaflet.vectorgrid/package.json $(VENDOR)/leaflet.vectorgrid/
	touch $@

# openapi.yaml is generated from the code; TestOpenAPIIsCommitted checks it.
openapi:
	$(GO) run ./cmd/shanyu openapi > openapi.yaml

# The sample bundle is generated; TestBundleIsUpToDate checks it.
sample:
	$(GO) generate ./data/sample

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./geo ./snapshot ./coverage ./api

# PostGIS benchmarks: a 100,000-row import and a 1,000,000-facility snapshot load
# (several minutes; they start their own throwaway cluster).
bench-postgis:
	$(GO) test -run '^$$' -bench . -benchtime 2x ./source/postgis

# HTTP load on loopback: nearest-10 against a static server of the same body
# (tools/static), alternating, bounded; prints requests/s, p50, p99 and the
# ratio (docs/performance.md). Uses wrk when installed, else tools/load.
load: build
	scripts/load

# Soak: load on loopback while the data reloads every 3 s and PostgreSQL is
# stopped and restarted mid-run (its own throwaway cluster); reports
# errors by class, latency, memory and goroutines. DURATION=5m for longer.
soak: build
	$(GO) run ./tools/soak -bin bin/shanyu -d "$${DURATION:-60s}"

# Lighthouse scores of every page (mobile preset), with Lighthouse pinned in
# tools/lighthouse and Debian's chromium; reports in out/lighthouse/. Not part
# of make test.
lighthouse: build tools/lighthouse/node_modules/.installed
	scripts/lighthouse

tools/lighthouse/node_modules/.installed: tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

fuzz:
	for f in FuzzParseBBox FuzzParsePoint FuzzParseCursor FuzzFacilitiesQuery; do \
		$(GO) test ./api -run '^$$' -fuzz "^$$f$$" -fuzztime 30s || exit 1; done

clean:
	rm -rf bin out dashboard/node_modules $(VENDOR)/leaflet $(VENDOR)/swagger-ui $(VENDOR)/leaflet.vectorgrid $(STAMP)
