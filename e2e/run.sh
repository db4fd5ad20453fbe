#!/usr/bin/env bash
# Runs the end-to-end test of the real window: Xvfb (unless a DISPLAY is given), a private D-Bus
# session with gnome-keyring as the Secret Service, HOME and XDG dirs in a temporary folder, and
# `node --test` driving the app through WebKitWebDriver.
#
#   e2e/run.sh               (binary from $CARGO_TARGET_DIR or ./target, debug build)
#   HUIYI_BIN=... HUIYI_SCREENSHOT_DIR=... e2e/run.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"

if [[ "${1:-}" != "--inner" ]]; then
  TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
  export HUIYI_BIN="${HUIYI_BIN:-$TARGET/debug/huiyi}"
  export HUIYI_SCREENSHOT_DIR="${HUIYI_SCREENSHOT_DIR:-$ROOT/artifacts/screenshots}"
  if [[ ! -x "$HUIYI_BIN" ]]; then
    echo "e2e: no Huiyi binary at $HUIYI_BIN (build it: cargo build -p huiyi-desktop)" >&2
    exit 2
  fi
  for tool in Xvfb dbus-run-session gnome-keyring-daemon WebKitWebDriver node; do
    command -v "$tool" >/dev/null || { echo "e2e: $tool is not installed" >&2; exit 2; }
  done

  TMP="$(mktemp -d -t huiyi-e2e.XXXXXX)"
  XVFB_PID=""
  cleanup() {
    [[ -n "$XVFB_PID" ]] && kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$TMP"
  }
  trap cleanup EXIT

  # Nothing from the real user's session: keyring, config and caches all live in $TMP.
  export HOME="$TMP/home"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
  export XDG_RUNTIME_DIR="$TMP/run"
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

  if [[ -z "${DISPLAY:-}" ]]; then
    # -displayfd picks a free display number and writes it to fd 3 once the server is ready.
    Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
    XVFB_PID=$!
    for _ in $(seq 200); do
      [[ -s "$TMP/display" ]] && break
      kill -0 "$XVFB_PID" 2>/dev/null || break
      sleep 0.1
    done
    DISPLAY_NUM="$(tr -dc '0-9' <"$TMP/display" || true)"
    [[ -n "$DISPLAY_NUM" ]] || { echo "e2e: Xvfb did not start" >&2; cat "$TMP/xvfb.log" >&2; exit 1; }
    export DISPLAY=":$DISPLAY_NUM"
  fi
  export GDK_BACKEND=x11 NO_AT_BRIDGE=1

  # A session bus that activates nothing: no desktop portal or accessibility bus gets started
  # behind our back (they would outlive the test and hold mounts in $XDG_RUNTIME_DIR).
  mkdir -p "$TMP/dbus-services"
  cat >"$TMP/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=$TMP/run</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$TMP/dbus-services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  dbus-run-session --config-file="$TMP/session.conf" -- "$HERE/run.sh" --inner "${@:2}"
  exit $?
fi

# Inside the private D-Bus session: an unlocked keyring with the secrets component.
printf %s "huiyi-e2e-keyring" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
cd "$ROOT"
# Every e2e/*.test.mjs: the real window (huiyi.test.mjs) and the CLI against a separate sim.
node --test --test-reporter=spec "$HERE"/*.test.mjs
