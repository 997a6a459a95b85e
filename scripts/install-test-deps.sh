#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Debian's Chromium for the browser
# tests (driven by playwright-core; no browser is ever downloaded by a test tool), and Debian's
# LibreOffice (headless, no GUI) with poppler-utils for the tests that open the generated DOCX
# and XLSX reports and convert them to PDF.
set -euo pipefail

CHROMIUM="${XHHT_CHROMIUM:-/usr/bin/chromium}"
NEED_CHROMIUM=0
NEED_OFFICE=0
[ -x "$CHROMIUM" ] || NEED_CHROMIUM=1
{ command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; } || NEED_OFFICE=1
if [ "$NEED_CHROMIUM" -eq 0 ] && [ "$NEED_OFFICE" -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Cannot install the test dependencies: not root and no sudo. Install them with:" \
      "apt-get install chromium fonts-liberation libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Cannot install the test dependencies: apt-get not available. Install Chromium (and set XHHT_CHROMIUM" \
    "to its path), LibreOffice (soffice on PATH) and poppler-utils (pdftotext)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq

if [ "$NEED_CHROMIUM" -eq 1 ]; then
  echo "Chromium not found at $CHROMIUM: installing Debian's chromium package for the browser tests…"
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  "$CHROMIUM" --version
fi

if [ "$NEED_OFFICE" -eq 1 ]; then
  echo "soffice or pdftotext not found: installing Debian's LibreOffice (no GUI) and poppler-utils for the report tests…"
  $SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation >/dev/null
  soffice --version
fi
