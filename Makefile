# DisputeKit — the two commands a newcomer needs are `make run` and `make test`.
# Both install the Debian packages they need when they are missing (as root, or through sudo).

GO        ?= go
TAGS      := migrated_fynedo
BIN       := bin
FUZZTIME  ?= 30s
# Debian packages: cgo + X11/GL headers for Fyne, poppler for the PDF text tests, age for the bundle tests.
BUILD_DEBS := gcc pkg-config libgl1-mesa-dev xorg-dev
TEST_DEBS  := $(BUILD_DEBS) poppler-utils age

.PHONY: run build cli test test-short vet bench compare fuzz package deps test-deps clean crash

run: deps build
	./$(BIN)/disputekit

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN)/disputekit ./cmd/disputekit
	CGO_ENABLED=0 $(GO) build -o $(BIN)/dk ./cmd/dk

cli:
	CGO_ENABLED=0 $(GO) build -o $(BIN)/dk ./cmd/dk

# Everything, with the race detector (cgo is installed by test-deps).
test: test-deps vet
	$(GO) test -race -tags $(TAGS) -timeout 40m ./...

# A quick run without the race detector, for the edit-test loop.
test-short:
	$(GO) test -short -tags $(TAGS) ./...

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/dk

bench:
	$(GO) test -run '^$$' -bench . -benchmem -tags $(TAGS) ./evidence/... ./templates/... ./app/...

# Times dk against the peer tools on the same inputs (ImageMagick + img2pdf,
# sqlite3, zip, sha256sum when installed) and prints the ratios; see the
# scripts for the knobs (RUNS=3 PHOTOS=10 NO_BUNDLE=1 make compare).
compare:
	./scripts/compare.sh

# Runs every fuzz target for FUZZTIME (make fuzz FUZZTIME=2m).
fuzz:
	@for pkg in $$($(GO) list ./evidence/... ./templates/...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# The crash harness with more kills than make test runs (make crash KILLS=1000); -v prints its counts.
KILLS ?= 500
crash:
	$(GO) test -v -run Crash -count=1 -timeout 60m ./evidence/crashtest/ -args -crash.kills=$(KILLS)

# A Linux package with the fyne tool (see README for Windows and macOS).
FYNE_TOOLS ?= fyne.io/tools/cmd/fyne@v1.7.4
package: deps
	cp FyneApp.toml cmd/disputekit/FyneApp.toml
	cd cmd/disputekit && $(GO) run $(FYNE_TOOLS) package -os linux -tags $(TAGS) -icon ../../assets/icon.png --release
	mkdir -p dist && mv cmd/disputekit/*.tar.xz dist/
	rm -f cmd/disputekit/FyneApp.toml

deps:
	@./.ci/debs $(BUILD_DEBS)

test-deps:
	@./.ci/debs $(TEST_DEBS)

clean:
	rm -rf $(BIN) dist out
