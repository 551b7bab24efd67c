#!/usr/bin/env bash
# Installs what FunnelDesk needs on Debian/Ubuntu: system packages (as root; otherwise it
# names the missing ones), a virtual environment in .venv, and the project itself.
# Usage: scripts/setup.sh app|test
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WHAT=${1:-app}

# Qt widgets, fonts with Chinese glyphs, and the xcb set a real window needs (Qt 6.5+
# refuses to start a window without libxcb-cursor0, which many desktops lack)
APP_PACKAGES="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
 libxkbcommon0 fonts-wqy-microhei fonts-noto-color-emoji libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0"
# fonts-noto-color-emoji: emoji in titles and notes show as empty boxes without it
# the tests need nothing beyond the app's packages yet (offscreen Qt)
TEST_PACKAGES=""

packages=$APP_PACKAGES
[ "$WHAT" = test ] && packages="$packages $TEST_PACKAGES"
python3 -c 'import ensurepip, venv' 2>/dev/null || packages="$packages python3-venv"

if command -v dpkg-query >/dev/null; then
  missing=""
  for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "Installing system packages:$missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      # shellcheck disable=SC2086
      apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "FunnelDesk needs these system packages, which are not installed:$missing" >&2
      echo "Install them with:  sudo apt-get install --no-install-recommends$missing" >&2
      exit 1
    fi
  fi
else
  echo "Not a Debian-like system: install the Qt runtime libraries and a CJK font yourself." >&2
fi

cd "$ROOT"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras=""
[ "$WHAT" = test ] && extras="[dev]"
hash=$(sha256sum pyproject.toml | cut -c1-16)
stamp=".venv/.installed-$hash${extras:+-dev}"
# an install with the test tools serves the app as well
if [ ! -f "$stamp" ] && [ ! -f ".venv/.installed-$hash-dev" ]; then
  echo "Installing FunnelDesk and its Python packages into .venv ..."
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".$extras"
  touch "$stamp"
fi
