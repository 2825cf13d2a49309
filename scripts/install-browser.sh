#!/usr/bin/env bash
# Installs the browser the front-page test drives: Debian's Chromium at /usr/bin/chromium, and
# Korean fonts so the page (and its screenshot in docs/img) shows Hangul rather than boxes.
# Called by scripts/install-test-tools.sh. Does nothing when both are present; otherwise needs
# root (CI runs as root) and apt. Debian ships one current Chromium per release, with its
# security updates, so the version follows the distribution rather than a pin here;
# Playwright, which drives it, is pinned in install-test-tools.sh.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
FONT_PACKAGE=fonts-nanum

have_fonts() {
    [ -d /usr/share/fonts/truetype/nanum ]
}

if [ -x "$CHROMIUM" ] && have_fonts; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "error: the front-page test needs Chromium at $CHROMIUM and the $FONT_PACKAGE fonts." >&2
    echo "On Debian or Ubuntu, as root: apt-get install -y chromium $FONT_PACKAGE" >&2
    exit 1
fi

echo "installing chromium and $FONT_PACKAGE with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium "$FONT_PACKAGE" >/dev/null
"$CHROMIUM" --version 2>/dev/null
