# Ablate: the two commands a user needs are `make demo` and `make test`.
SHELL := /bin/bash
APT_PACKAGES := libopenblas-dev pkg-config
# The report test renders report.html with headless Chromium to check that it looks right; the
# external-trainer tests run a plain-Python trainer.
TEST_APT_PACKAGES := chromium python3
SWIFT ?= swift
RUNS ?= runs

.PHONY: all deps test-deps apt-install build release test test-slurm demo bench clean

all: release

# Installs whatever apt package is missing (as root, or through sudo when there is one).
deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES) $(TEST_APT_PACKAGES)"

apt-install:
	@missing=""; \
	for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product ablate

# The Slurm integration tests run against a one-node cluster on this machine, which
# scripts/with-slurm.sh starts (installing Slurm) when this runs as root or with sudo.
test: test-deps
	scripts/lint-format.sh
	$(SWIFT) build --build-tests
	scripts/with-slurm.sh $(SWIFT) test --skip-build --disable-swift-testing

# Only the Slurm integration tests; a cluster that cannot be started fails them.
test-slurm: deps
	$(SWIFT) build --build-tests
	ABLATE_REQUIRE_SLURM=1 scripts/with-slurm.sh $(SWIFT) test --skip-build --disable-swift-testing --filter SlurmIntegrationTests

demo: release
	.build/release/ablate run sweeps/quickstart.yaml --runs $(RUNS)
	.build/release/ablate report sweeps/quickstart.yaml --runs $(RUNS) --format md

bench: release
	.build/release/ablate bench

clean:
	rm -rf .build
