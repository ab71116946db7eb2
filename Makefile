# The Makefile is the CI: `make test` is what .ci/run runs.
GO       ?= go
BIN      := bin
SAMPLES  := samples

.PHONY: all build test test-load unit smoke demo lint check bench bench-unit chaos fuzz clean

all: build

VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.buildVersion=$(VERSION)

build:
	@echo "building $(BIN)/ciam-import and $(BIN)/ciam-emulator (the first build takes a minute; later ones seconds)..."
	@$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/ciam-import ./cmd/ciam-import
	@$(GO) build -o $(BIN)/ciam-emulator ./cmd/ciam-emulator
	@echo "built $(BIN)/ciam-import $(VERSION)"

## test: lint, every package under the race detector, then a smoke run over samples/
test: lint unit smoke

## test-load: make test with two CPU-bound processes beside it (a busy CI machine); they end with it
test-load:
	@pids=""; for i in 1 2; do timeout 30m sh -c 'while :; do :; done' & pids="$$pids $$!"; done; \
	trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	$(MAKE) test; rc=$$?; kill $$pids 2>/dev/null; exit $$rc

unit:
	$(GO) test -race -count=1 -timeout 8m ./...

# smoke: the sample mappings check out and validate runs over both samples.
smoke: build
	@out=$$(mktemp -d); \
	for f in csv jsonl; do \
	  $(BIN)/ciam-import validate --input $(SAMPLES)/users.$$f --mapping $(SAMPLES)/mapping-$$f.yaml \
	    --report-dir $$out/$$f >/dev/null; rc=$$?; \
	  if [ $$rc -ne 0 ] && [ $$rc -ne 3 ]; then echo "smoke: validate $$f exited $$rc"; exit 1; fi; \
	done; echo "smoke: validate ok over $(SAMPLES)/users.{csv,jsonl}"; rm -rf $$out

## demo: build bin/, then import samples/users.csv into an embedded CIAM emulator, with live progress
demo: build
	@$(BIN)/ciam-import demo

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }

## check: lint plus a go.mod tidy diff
check: lint
	$(GO) mod tidy -diff

## bench: the BENCHMARKS.md table against the emulator (~11 min; BENCH_FLAGS=-quick: ~80 s)
bench: build
	$(GO) run ./bench -bin $(BIN)/ciam-import $(BENCH_FLAGS)

## bench-unit: the Go benchmarks of every package
bench-unit:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## chaos: the crash tests at scale: 20000 rows, 40 SIGKILLs per import, binaries built with -race (~6 min)
chaos:
	CIAM_CHAOS_ROWS=20000 CIAM_CHAOS_KILLS=40 $(GO) test -race -count=1 -timeout 30m -run Crash -v ./cmd/ciam-import

## fuzz: every Fuzz* target for $(FUZZTIME) each, one at a time (FUZZTIME=20s by default; not part of `make test`)
FUZZTIME ?= 20s
fuzz:
	@set -e; for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for fz in $$(grep -h '^func Fuzz' $$pkg/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    echo "fuzz: $$pkg $$fz ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$fz\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

clean:
	rm -rf $(BIN) demo-state ciam-import-validate rehearsal-state rehearsal-check db-check emulator.log
