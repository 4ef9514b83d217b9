# DisputeKit — the two commands a newcomer needs are `make run` and `make test`.
# Both install the Debian packages they need when they are missing (as root, or through sudo).

GO        ?= go
TAGS      := migrated_fynedo
BIN       := bin
FUZZTIME  ?= 30s
# Debian packages: cgo + X11/GL headers for Fyne, poppler for the PDF text tests, age for the bundle tests.
BUILD_DEBS := gcc pkg-config libgl1-mesa-dev xorg-dev
TEST_DEBS  := $(BUILD_DEBS) poppler-utils age

# The release number lives in one place, FyneApp.toml ([Details] Version; the fyne tool bumps Build itself).
# It reaches dk --version and Help › About through -X, the packages' metadata through the fyne tool,
# the AppStream file and the installer through this Makefile.
VERSION  := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
APP_ID   := $(shell sed -n 's/^[[:space:]]*ID[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
VERSION_X := -X github.com/disputekit/disputekit/assets.version=$(VERSION)
DIST     := dist

.PHONY: run build cli test test-short vet bench compare fuzz package deps test-deps clean crash \
	install uninstall package-linux package-windows smoke-windows lint-workflows version

run: deps build
	./$(BIN)/disputekit

build: deps
	$(GO) build -tags $(TAGS) -ldflags "$(VERSION_X)" -o $(BIN)/disputekit ./cmd/disputekit
	CGO_ENABLED=0 $(GO) build -ldflags "$(VERSION_X)" -o $(BIN)/dk ./cmd/dk

cli:
	CGO_ENABLED=0 $(GO) build -ldflags "$(VERSION_X)" -o $(BIN)/dk ./cmd/dk

version:
	@echo $(VERSION)

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
	$(GO) test -run '^$$' -bench . -benchmem -tags $(TAGS) ./evidence/... ./templates/... ./app/... ./cmd/dk/

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

# ---- Packages (README § Packaging says which are verified where) ----
FYNE_TOOLS ?= fyne.io/tools/cmd/fyne@v1.7.4
PREFIX     ?= /usr/local
RELEASE_LDFLAGS := -s -w $(VERSION_X)
# The AppStream release date: the last commit's, so a rebuild of the same tree gives the same file.
RELEASE_DATE := $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)

# Installs both programs, the icon, the .desktop file and the AppStream metadata under PREFIX
# (make install PREFIX=~/.local for one user; DESTDIR for staging a package).
install: build
	install -Dm755 $(BIN)/disputekit $(DESTDIR)$(PREFIX)/bin/disputekit
	install -Dm755 $(BIN)/dk $(DESTDIR)$(PREFIX)/bin/dk
	install -Dm644 assets/icon.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/512x512/apps/$(APP_ID).png
	install -Dm644 assets/linux/$(APP_ID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(APP_ID).desktop
	mkdir -p $(DESTDIR)$(PREFIX)/share/metainfo
	sed -e 's/@VERSION@/$(VERSION)/' -e 's/@DATE@/$(RELEASE_DATE)/' assets/linux/$(APP_ID).metainfo.xml.in \
	  > $(DESTDIR)$(PREFIX)/share/metainfo/$(APP_ID).metainfo.xml
	install -Dm644 assets/fonts/LICENSE-wqy-microhei.txt $(DESTDIR)$(PREFIX)/share/doc/disputekit/LICENSE-wqy-microhei.txt
	if [ -z "$(DESTDIR)" ] && command -v update-desktop-database >/dev/null; then \
	  update-desktop-database -q $(PREFIX)/share/applications; fi

uninstall:
	rm -f $(PREFIX)/bin/disputekit $(PREFIX)/bin/dk $(PREFIX)/share/icons/hicolor/512x512/apps/$(APP_ID).png \
	  $(PREFIX)/share/applications/$(APP_ID).desktop $(PREFIX)/share/metainfo/$(APP_ID).metainfo.xml
	rm -rf $(PREFIX)/share/doc/disputekit

# Linux: dist/DisputeKit-VERSION-linux-amd64.tar.xz, the tree make install writes (bin/, share/), for
# `tar -xJf … --strip-components=1 -C ~/.local` (or /usr/local). Release build: stripped, -trimpath.
package: package-linux
package-linux: deps
	rm -rf $(DIST)/stage && mkdir -p $(DIST)
	$(MAKE) install BIN=$(DIST)/stage-bin DESTDIR=$(abspath $(DIST)/stage) PREFIX=/DisputeKit-$(VERSION) \
	  GOFLAGS="$(GOFLAGS) -trimpath" VERSION_X="$(RELEASE_LDFLAGS)"
	if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net \
	  $(DIST)/stage/DisputeKit-$(VERSION)/share/metainfo/$(APP_ID).metainfo.xml; fi
	tar -C $(DIST)/stage -cJf $(DIST)/DisputeKit-$(VERSION)-linux-amd64.tar.xz DisputeKit-$(VERSION)
	rm -rf $(DIST)/stage $(DIST)/stage-bin
	@ls -l $(DIST)/DisputeKit-$(VERSION)-linux-amd64.tar.xz

# Windows, cross-built here: the app with MinGW-w64 through the fyne tool (icon, version info and manifest
# from FyneApp.toml), dk.exe without cgo, a zip of both and an NSIS installer.
WIN_DEBS := gcc-mingw-w64-x86-64 nsis zip imagemagick
WIN_CC   ?= x86_64-w64-mingw32-gcc
WIN_DIR  := $(DIST)/windows/DisputeKit
MAGICK   ?= $(firstword $(wildcard /usr/bin/convert) convert)
package-windows:
	@./.ci/debs $(WIN_DEBS)
	GOBIN=$(abspath $(BIN)) $(GO) install $(FYNE_TOOLS)
	rm -rf $(DIST)/windows && mkdir -p $(WIN_DIR)
	cp FyneApp.toml cmd/disputekit/FyneApp.toml
	cd cmd/disputekit && CC=$(WIN_CC) GOFLAGS="$(GOFLAGS) -ldflags=$(subst $() ,=,$(VERSION_X))" \
	  $(abspath $(BIN))/fyne package -os windows -tags $(TAGS) -icon ../../assets/icon.png --release \
	  || { rm -f FyneApp.toml; exit 1; }
	rm -f cmd/disputekit/FyneApp.toml
	mv cmd/disputekit/DisputeKit.exe $(WIN_DIR)/DisputeKit.exe
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(RELEASE_LDFLAGS)" -o $(WIN_DIR)/dk.exe ./cmd/dk
	cp assets/fonts/LICENSE-wqy-microhei.txt $(WIN_DIR)/
	$(MAGICK) assets/icon.png -define icon:auto-resize=256,64,48,32,16 $(WIN_DIR)/icon.ico
	cd $(DIST)/windows && rm -f ../DisputeKit-$(VERSION)-windows-amd64.zip && zip -qr ../DisputeKit-$(VERSION)-windows-amd64.zip DisputeKit
	makensis -V2 -DVERSION=$(VERSION) -DSTAGE=$(abspath $(WIN_DIR)) \
	  -DOUTFILE=$(abspath $(DIST))/DisputeKit-$(VERSION)-windows-amd64-setup.exe assets/windows/disputekit.nsi
	@ls -l $(DIST)/DisputeKit-$(VERSION)-windows-amd64.zip $(DIST)/DisputeKit-$(VERSION)-windows-amd64-setup.exe

# Runs dk.exe (and the app, when built and Xvfb is there) under Wine: see .ci/smoke-windows. Skips with a
# message when Wine or MinGW-w64 is missing; not part of make test (installing Wine takes a minute and ~1 GB).
smoke-windows:
	@if [ ! -f $(WIN_DIR)/dk.exe ]; then mkdir -p $(WIN_DIR) && \
	  GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -ldflags "$(VERSION_X)" -o $(WIN_DIR)/dk.exe ./cmd/dk; fi
	./.ci/smoke-windows $(WIN_DIR)/dk.exe "$(wildcard $(WIN_DIR)/DisputeKit.exe)" \
	  "$(if $(wildcard $(WIN_DIR)/DisputeKit.exe),$(DIST)/windows/screenshot.png)" \
	  "$(wildcard $(DIST)/DisputeKit-$(VERSION)-windows-amd64-setup.exe)"

# The GitHub Actions workflows, checked by actionlint (a Go module, fetched by go run).
ACTIONLINT ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
lint-workflows:
	$(GO) run $(ACTIONLINT) -color=false .github/workflows/*.yml

deps:
	@./.ci/debs $(BUILD_DEBS)

test-deps:
	@./.ci/debs $(TEST_DEBS)

clean:
	rm -rf $(BIN) $(DIST) out
