#!/usr/bin/env bash
# Installs the Debian packages the tests use, when they are missing and we may install them:
# Chromium, which Playwright drives (it never downloads a browser of its own), and LibreOffice
# with poppler, which turn the exported .docx and .xlsx into PDF pages and PNGs (the stand-in
# for Word and Excel opening them), and nginx, which the test of two app instances behind one
# proxy runs as an ordinary process with its own configuration (never the system's service).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} = 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing ${missing[*]}, which cannot be installed here (needs root and apt-get);" \
       "the tests that need them will be skipped." >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
