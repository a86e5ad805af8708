# Leadpoet: `make` or `make help` lists the targets.

GO       ?= go
BIN      := bin/leadpoet
FUZZTIME ?= 10s
ARGS     ?=
COMPOSE  ?= docker compose

.DEFAULT_GOAL := help
.PHONY: help deps build run test fuzz-smoke bench eval fuzz fmt vet clean

help: ## list the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z0-9_-]+:.*## / { printf "  %-12s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

deps: ## install the services and tools tests and dev need (redis-server, clickhouse-server, clickhouse-client, kcat, promtool, docker-compose) if missing
	@bash scripts/ensure-services.sh

build: ## build the binary into bin/leadpoet
	$(GO) build -o $(BIN) ./cmd/leadpoet

run: deps build ## run everything in one process (leadpoet dev); pass flags with ARGS='...'
	./$(BIN) dev $(ARGS)

# `make test` checks the deployment files too, through the tests of ./deploy (also
# `make check-deploy`): compose.yaml with `docker-compose config -q` of Debian's
# docker-compose 1.29, which validates the file against the Compose schema and
# resolves its interpolation without a Docker engine, plus the wiring between the
# services, mounts and scrape targets; the alert rules with `promtool test rules`;
# every metric the rules, dashboards and Grafana alerts name against the live
# /metrics of `leadpoet ingest` and `leadpoet api`; the analyst SQL against
# clickhouse-server.
test: deps ## vet, run all tests against real services, every benchmark once and every fuzz target for FUZZTIME
	$(GO) vet ./...
	@$(MAKE) --no-print-directory sdk-test
	$(GO) test -count=1 -timeout 20m ./...
	$(GO) test -run '^$$' -bench . -benchtime=1x -short ./...
	@$(MAKE) --no-print-directory fuzz-smoke

check-deploy: deps ## check compose.yaml, the Prometheus rules, the Grafana files and the analyst SQL (go test ./deploy/)
	$(GO) test -count=1 ./deploy/

up: ## start the compose.yaml stack with Docker (COMPOSE='docker-compose' for Compose 1.29)
	$(COMPOSE) -p leadpoet up -d --build

down: ## stop the compose.yaml stack, keeping its data volumes
	$(COMPOSE) -p leadpoet down

# Go 1.26's fuzzing coordinator can fail a run with a bare "context deadline exceeded"
# as -fuzztime ends (go.dev/issue/75804, fixed in Go 1.27): such a run, with no failing
# input written, is run once more; any other failure, or a second one, fails.
fuzz-smoke: ## run every fuzz target (func Fuzz... in *_test.go) for FUZZTIME (default 10s)
	@set -e; log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	grep -rlE --include='*_test.go' --exclude-dir=.git --exclude-dir=testdata --exclude-dir=vendor \
		'^func Fuzz[A-Za-z0-9_]*\(' . | sort | while read -r file; do \
		pkg=./$$(dirname "$${file#./}"); \
		for name in $$(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$$file"); do \
			for try in 1 2; do \
				echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
				if $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) "$$pkg" >"$$log" 2>&1; then cat "$$log"; break; fi; \
				cat "$$log"; \
				if [ $$try = 1 ] && grep -q 'context deadline exceeded' "$$log" && ! grep -q 'Failing input written' "$$log"; then \
					echo "fuzz $$pkg $$name: the fuzzing engine's deadline race (go.dev/issue/75804), no failing input: once more"; \
					continue; \
				fi; \
				exit 1; \
			done; \
		done; \
	done

.PHONY: sdk-test
sdk-test: ## run the unit tests of the Python (sdk/python) and JavaScript (sdk/js) clients; their live tests run in go test ./client
	@command -v python3 >/dev/null || { echo "sdk-test: python3 (3.9 or later) is needed for sdk/python" >&2; exit 1; }
	@command -v node >/dev/null || { echo "sdk-test: node (18 or later) is needed for sdk/js" >&2; exit 1; }
	cd sdk/python && PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s tests -t .
	cd sdk/js && node --test test/client.test.js test/live.test.js

bench: ## run the benchmarks with allocation counts, then the load test (make load)
	$(GO) test -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v '/internal/loadtest$$')
	@$(MAKE) --no-print-directory load

# `make load` loads 100,000 companies and 300,000 signals through Kafka into the
# in-process stack (kfake, redis-server, ingest, API), then posts a mix of prompts to
# POST /query at 250 requests/s, open loop, for LEADPOET_LOAD_SECONDS (default 60),
# and prints P50/P95/P99, throughput, errors and cost per lead next to the spec's
# 400 ms and $0.002. LEADPOET_LOAD_COMPANIES, _SIGNALS and _RATE change the rest.
.PHONY: load
load: ## open-loop load test of POST /query: 250 req/s for 60 s over 100,000 companies
	LEADPOET_LOAD_SECONDS=$${LEADPOET_LOAD_SECONDS:-60} $(GO) test -run '^$$' -bench '^BenchmarkQueryLoad$$' \
		-benchtime=1x -benchmem -timeout 30m -v ./internal/loadtest/

eval: deps ## measure ranking quality end to end on synthetic worlds, against baselines, into docs/EVALUATION.md; flags in ARGS='...'
	$(GO) run ./cmd/leadpoet eval -eval.out docs/EVALUATION.md $(ARGS)

fuzz: FUZZTIME := 2m
fuzz: fuzz-smoke ## run every fuzz target for longer (FUZZTIME=2m)

fmt: ## format the Go code
	$(GO) fmt ./...

vet: ## run go vet
	$(GO) vet ./...

clean: ## remove build output
	rm -rf bin
