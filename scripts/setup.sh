#!/usr/bin/env bash
# Installs what building, running and testing Huiyi needs on Debian/Ubuntu: system packages
# (with sudo when not root), the Rust toolchain when cargo is missing, and the front end's npm
# packages from the lockfile. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: Tauri on WebKitGTK, the keyring's Secret Service backend. Test: a real window under
# Xvfb driven by WebKitWebDriver, a real Secret Service (gnome-keyring in a private D-Bus
# session), xdg tools for protocol handlers, CJK fonts so Chinese renders in screenshots, xclip
# to read what the window's Copy buttons put on the clipboard.
PACKAGES=(
  build-essential pkg-config file curl ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev libdbus-1-dev
  xvfb xauth imagemagick x11-utils webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools
  xdg-utils desktop-file-utils fonts-noto-cjk xclip
)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $(node --version) is too old for the front end's tools; install Node.js 20 or newer." >&2
  exit 1
fi

if ! command -v cargo >/dev/null; then
  # The Makefile puts ~/.cargo/bin on PATH, so the toolchain is usable at once.
  echo "setup: installing the Rust toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
# `make test` checks formatting; a minimal toolchain has no rustfmt.
if ! cargo fmt --version >/dev/null 2>&1 && command -v rustup >/dev/null; then
  rustup component add rustfmt
fi

# npm packages, from the lockfile only; skipped when node_modules already matches it.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the front end's npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
