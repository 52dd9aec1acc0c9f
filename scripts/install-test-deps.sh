#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine, skipping what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-node.sh
if ! command -v redis-server >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null
fi
# The Debian package starts a system-wide redis on 6379; the tests start their own on free ports.
bash scripts/install-postgres.sh
# The reverse-proxy tests put Debian's nginx in front of the server.
bash scripts/install-nginx.sh
if [ -f web/package-lock.json ] && [ ! -d web/node_modules ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
# The browser tests (tests/Parley.Web.Tests) drive Debian's Chromium.
bash scripts/install-chromium.sh
