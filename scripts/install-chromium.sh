#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/Parley.Web.Tests) when /usr/bin/chromium is
# missing. Playwright's own browser download cannot be used here; the tests drive this Chromium.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The browser tests need Chromium at /usr/bin/chromium: install it (apt-get install chromium) or run as root." >&2
  exit 1
fi
apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
/usr/bin/chromium --version
