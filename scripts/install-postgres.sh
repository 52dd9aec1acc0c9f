#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries when missing. The Postgres store tests start a throwaway server of
# their own from /usr/lib/postgresql/<version>/bin (see tests/Parley.Server.Tests/Infrastructure/PostgresServer.cs);
# they do not use a system cluster.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "PostgreSQL is needed by the Postgres store tests: install it (apt-get install postgresql) or run as root." >&2
  exit 1
fi
apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql >/dev/null
