#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine, skipping what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-node.sh
if [ -f web/package-lock.json ] && [ ! -d web/node_modules ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
# The browser tests (tests/Parley.Web.Tests) drive Debian's Chromium.
bash scripts/install-chromium.sh
