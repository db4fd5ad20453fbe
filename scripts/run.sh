#!/usr/bin/env bash
# Launches the built desktop app. Without a display it runs under Xvfb (say so); without a
# session bus (a bare console or SSH) it starts one with gnome-keyring so secrets still go to a
# real Secret Service, kept in the user's own ~/.local/share/keyrings.
set -euo pipefail
bin="${CARGO_TARGET_DIR:-$(dirname "$0")/../target}/debug/huiyi"
if [ ! -x "$bin" ]; then
  echo "run: $bin is missing; run 'make run' from the repository root." >&2
  exit 1
fi

launch=("$bin")
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "run: no D-Bus session; starting one with gnome-keyring (keyring password: empty)." >&2
  launch=(dbus-run-session -- bash -c 'printf "" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; exec "$@"' run "$bin")
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display; starting the app inside Xvfb (nothing will be visible on this machine)." >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" "${launch[@]}"
fi
exec "${launch[@]}"
