#!/usr/bin/env bash
# Installs Debian's nginx when missing. The reverse-proxy tests start a throwaway nginx of their own on a free
# loopback port with a generated configuration (tests/Parley.Server.Tests/Infrastructure/NginxProxy.cs); they do
# not use the system one, which the package starts on port 80 and this script stops again.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "nginx is needed by the reverse-proxy tests: install it (apt-get install nginx) or run as root." >&2
  exit 1
fi
apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq nginx >/dev/null
if [ -x /etc/init.d/nginx ]; then
  /etc/init.d/nginx stop >/dev/null 2>&1 || true
fi
