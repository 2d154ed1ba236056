#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing and we may install it.
# Playwright drives this browser; it never downloads one of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium is missing and cannot be installed here (needs root and apt-get);" \
       "the browser tests will be skipped." >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
