#!/usr/bin/env bash
# Launches the built desktop app. Without a display it runs under Xvfb (and says so). Without a
# session bus (a bare console or SSH) it starts one with gnome-keyring, so secrets still go to
# a real Secret Service:
# - the user's own login keyring (~/.local/share/keyrings), unlocked with
#   $HUIYI_KEYRING_PASSWORD or a password typed at the prompt;
# - with neither (no terminal), a throw-away keyring: the app works, but secrets of accounts
#   added in this run are gone when it exits.
# gnome-keyring creates no keyring for an empty password, hence no empty default.
set -euo pipefail
bin="${CARGO_TARGET_DIR:-$(dirname "$0")/../target}/debug/huiyi"
if [ ! -x "$bin" ]; then
  echo "run: $bin is missing; run 'make run' from the repository root." >&2
  exit 1
fi

launch=("$bin")
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  password="${HUIYI_KEYRING_PASSWORD:-}"
  if [ -z "$password" ] && [ -t 0 ]; then
    read -r -s -p "run: no D-Bus session; password for your login keyring (new or existing): " password
    echo >&2
  fi
  if [ -z "$password" ]; then
    echo "run: no D-Bus session and no keyring password: using a throw-away keyring (secrets last for this run only)." >&2
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/huiyi-run.XXXXXX")
    # Only the keyring moves; Huiyi's own data stays where it always is.
    export HUIYI_DATA_DIR="${HUIYI_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/huiyi}"
    export XDG_DATA_HOME="$scratch/data"
    password="huiyi-$$-$RANDOM"
  fi
  export HUIYI_KEYRING_UNLOCK="$password"
  launch=(dbus-run-session -- bash -c 'printf %s "$HUIYI_KEYRING_UNLOCK" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; unset HUIYI_KEYRING_UNLOCK; exec "$@"' run "$bin")
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display; starting the app inside Xvfb (nothing will be visible on this machine)." >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" "${launch[@]}"
fi
exec "${launch[@]}"
