# Rampart — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

DEBIAN_PACKAGES := libnetfilter-queue-dev libsqlite3-dev libssl-dev libpcre2-dev libjemalloc-dev pkg-config \
	iptables iproute2 conntrack curl openssl ca-certificates python3 python3-pip procps
# The TLS benchmark's peers (installed by `make bench` only, with their services kept from starting).
BENCH_PACKAGES := nginx-light squid-openssl
PYTHON_MODULES := openapi_spec_validator, yaml, jsonschema
# The AWS-front suites (Tests/aws) drive the aws CLI, boto3 and schemathesis at these versions.
AWS_PYTHON_PACKAGES := awscli==1.45.11 boto3==1.43.11 schemathesis==4.32.5
STATE_DIR ?= $(CURDIR)/var
LISTEN ?= 127.0.0.1:8080
LAB ?= rampart
WORKERS ?= 2
RELEASE_BIN := $(CURDIR)/.build/release
DEBUG_BIN := $(CURDIR)/.build/debug
CONFORMANCE_CASES ?= $(CURDIR)/../shared/conformance/suricata-verify/cases

.PHONY: deps bench-deps build build-debug test run stop clean conformance bench

## deps: install the Debian packages and Python modules that are missing.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; fi
	@python3 -c "import $(PYTHON_MODULES)" 2>/dev/null || python3 -m pip install --quiet openapi-spec-validator pyyaml jsonschema
	@python3 -c 'import importlib.metadata as m, sys; sys.exit(any(m.version(n) != v for n, v in (a.split("==") for a in sys.argv[1:])))' \
		$(AWS_PYTHON_PACKAGES) 2>/dev/null || python3 -m pip install --quiet $(AWS_PYTHON_PACKAGES)

## build: release binaries at .build/release/rampart and .build/release/rampart-worker.
build: deps
	swift build -c release

build-debug: deps
	swift build

## test: install, build, run every test (the end-to-end tests need root and network namespaces).
test: build-debug
	RAMPART_BIN_DIR=$(DEBUG_BIN) swift test
	python3 -m unittest discover -s Tests/conformance
	RAMPART_BIN_DIR=$(DEBUG_BIN) python3 -m unittest discover -s Tests/aws -v

## conformance: replay the suricata-verify cases and compare with the reference engine's alerts.
conformance: build-debug
	python3 scripts/conformance.py --worker $(DEBUG_BIN)/rampart-worker --cases $(CONFORMANCE_CASES)

## bench: packets/s of the packet path with 0, 1,000 and 10,000 ET Open rules (release build), then
## the TLS engine in the lab against Squid's ssl-bump and no interception (scripts/tls-bench.py).
bench: deps bench-deps
	swift build -c release --product rampart-bench
	swift build -c release --product rampart
	swift build -c release --product rampart-worker
	$(RELEASE_BIN)/rampart-bench --rules-dir $(CURDIR)/../shared/rulesets/et-open
	python3 scripts/tls-bench.py --bin-dir $(RELEASE_BIN)

## bench-deps: nginx and Squid for the TLS benchmark; a policy-rc.d keeps their packages from starting
## system services (the bench runs its own instances inside the lab).
bench-deps:
	@missing=""; for p in $(BENCH_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
		guard=""; if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; guard=1; fi; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; status=$$?; \
		[ -n "$$guard" ] && rm -f /usr/sbin/policy-rc.d; exit $$status; fi

## run: start the control plane under ./var and the lab with two workers on a demo firewall.
run: build
	@$(MAKE) --no-print-directory stop >/dev/null 2>&1 || true
	@mkdir -p $(STATE_DIR)
	@$(RELEASE_BIN)/rampart serve --state-dir $(STATE_DIR) --listen $(LISTEN) > $(STATE_DIR)/rampart.log 2>&1 & echo $$! > $(STATE_DIR)/rampart.pid
	@for i in $$(seq 1 100); do curl -sf http://$(LISTEN)/healthz >/dev/null && break; sleep 0.1; done
	@RAMPART=$(RELEASE_BIN) API=http://$(LISTEN) STATE_DIR=$(STATE_DIR) LAB=$(LAB) WORKERS=$(WORKERS) bash scripts/demo-up.sh
	@trap '$(MAKE) --no-print-directory stop; exit 0' INT TERM; echo "Press Ctrl-C to stop."; while kill -0 $$(cat $(STATE_DIR)/rampart.pid) 2>/dev/null; do sleep 1; done

## stop: tear down the lab and stop the control plane.
stop:
	-@[ -f $(STATE_DIR)/demo-http.pid ] && kill $$(cat $(STATE_DIR)/demo-http.pid) 2>/dev/null; rm -f $(STATE_DIR)/demo-http.pid
	-@[ -x $(RELEASE_BIN)/rampart ] && $(RELEASE_BIN)/rampart lab down --prefix $(LAB) --run-dir $(STATE_DIR)/lab
	-@[ -f $(STATE_DIR)/rampart.pid ] && kill $$(cat $(STATE_DIR)/rampart.pid) 2>/dev/null; rm -f $(STATE_DIR)/rampart.pid
	@echo "stopped"

clean: stop
	rm -rf .build $(STATE_DIR)
