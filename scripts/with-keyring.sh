#!/usr/bin/env bash
# Runs a command with a real Secret Service: a private D-Bus session with gnome-keyring-daemon,
# unlocked, in a throw-away HOME and XDG directories, so tests never touch the user's keyring.
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
scratch=$(mktemp -d "${TMPDIR:-/tmp}/huiyi-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Keep the toolchains where they are while HOME moves.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
       XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export HUIYI_REQUIRE_KEYRING=1

# The daemon creates the login collection after it has forked; on a busy machine the first test
# could otherwise reach it before it answers. Wait (bounded) until the collection is there.
exec dbus-run-session -- bash -c '
  printf %s "huiyi-test-keyring" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  for _ in $(seq 1 120); do
    if dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
        org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Service string:Collections \
        2>/dev/null | grep -q /collection/login; then
      break
    fi
    sleep 0.5
  done
  exec "$@"' with-keyring "$@"
