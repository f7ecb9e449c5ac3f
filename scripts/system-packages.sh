#!/usr/bin/env bash
# System packages of the export tests: Debian's chromium renders the HTML exports headless and offline
# (tests/exports/test_offline.py screenshots a profile and the quality report), with DejaVu for Latin
# and Arabic text; poppler-utils (pdftotext) reads the text of the PDF reports back. Optional: the
# tests that need them skip where they are absent, and vetdx itself needs neither. Run as root (or
# with sudo) on Debian/Ubuntu; elsewhere it says so and exits 0.
set -euo pipefail
# openjdk-17-jre-headless: Java for Spark local mode (vetdx portability, tests/portability skip without).
PACKAGES=(chromium fonts-dejavu-core poppler-utils openjdk-17-jre-headless)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-packages: no apt-get here; install ${PACKAGES[*]} by hand to run the browser tests" >&2
  exit 0
fi
if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "system-packages: not root and no sudo; the browser tests will skip" >&2
    exit 0
  fi
  SUDO="sudo"
fi
# A mirror that cannot be reached costs the browser tests, never the build.
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${PACKAGES[@]}"; } >/dev/null; then
  echo "system-packages: apt-get failed; the browser and PDF-text tests will skip" >&2
fi
