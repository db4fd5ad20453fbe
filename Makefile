# The two commands of the README: `make run` and `make test`. Each does all set-up first
# (system packages, the Rust toolchain, npm packages), so both work on a fresh Debian machine.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Builds are large (about 2 GB): keep them outside the clone when CI or the caller says where.
export CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TERM_COLOR ?= never

.PHONY: run test bench setup ui build test-rust test-e2e bindings clean-artifacts

setup:
	@scripts/setup.sh

ui: setup
	cd ui && npm run build

# Every binary of the workspace: huiyi (the app), huiyictl, huiyi-sim.
build: ui
	cargo build --workspace --bins

run: build
	scripts/run.sh

test: build
	$(MAKE) --no-print-directory test-rust test-e2e

# Unit and integration tests of every crate, inside a private D-Bus session with a real,
# unlocked gnome-keyring, so the keyring and CLI tests use a real Secret Service.
test-rust:
	cargo fmt --all --check
	cd ui && npm run check
	scripts/with-keyring.sh cargo test --workspace

# The real window under Xvfb, driven by WebKitWebDriver; screenshots in artifacts/screenshots.
test-e2e:
	e2e/run.sh

# The agenda and booking against the fake vendor over loopback (criterion; report in
# $(CARGO_TARGET_DIR)/criterion).
bench: setup
	cargo bench -p huiyi-desk --bench agenda

# Rewrites ui/src/lib/bindings.ts from the Rust IPC types.
bindings:
	UPDATE_BINDINGS=1 cargo test -p huiyi-desk bindings
