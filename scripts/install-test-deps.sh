#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine, skipping what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-node.sh
bash scripts/install-postgres.sh
if [ -f web/package-lock.json ] && [ ! -d web/node_modules ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
