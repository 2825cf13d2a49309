#!/usr/bin/env bash
# Installs Debian packages a test needs, for the install-*.sh scripts:
#   apt-install.sh "<what the test needs, as a sentence>" PACKAGE...
# Needs root (CI runs as root) and apt-get; without them it says what the test needs and the
# command that installs it, and fails.
set -euo pipefail

need=$1
shift
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "error: $need." >&2
    echo "On Debian or Ubuntu, as root: apt-get install -y $*" >&2
    exit 1
fi
echo "installing $* with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "$@" >/dev/null
