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

bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" \
    "the front-page test needs Chromium at $CHROMIUM and the $FONT_PACKAGE fonts" \
    chromium "$FONT_PACKAGE"
"$CHROMIUM" --version 2>/dev/null
