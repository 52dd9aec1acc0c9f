#!/usr/bin/env bash
# Runs every Parley test on a fresh Debian machine with the .NET SDK: installs what the tests need
# (Node packages for the web client, Chromium for browser tests), builds, runs all suites, and prints
# one closing line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
out="$root/test-output"
mkdir -p "$out"
bash scripts/install-test-deps.sh

passed=0
failed=0
status=0

# .NET suites (server, client). Each project's summary line is "Passed!/Failed! - Failed: N, Passed: N, …".
set +e
dotnet test Parley.slnx -c Release --logger "console;verbosity=minimal" 2>&1 | tee "$out/dotnet-test.log"
dotnet_status=${PIPESTATUS[0]}
set -e
[ "$dotnet_status" -eq 0 ] || status=1
while read -r f p; do
  failed=$((failed + f)); passed=$((passed + p))
done < <(sed -nE 's/.*Failed:[[:space:]]*([0-9]+), Passed:[[:space:]]*([0-9]+),.*/\1 \2/p' "$out/dotnet-test.log")

# Web client unit tests (Vitest).
if [ -f web/package.json ]; then
  set +e
  (cd web && NO_COLOR=1 npm test --silent -- --reporter=verbose) 2>&1 | tee "$out/web-test.log"
  web_status=${PIPESTATUS[0]}
  set -e
  [ "$web_status" -eq 0 ] || status=1
  # Vitest's summary line: "Tests  43 passed (43)" or "Tests  1 failed | 42 passed (43)"; colour codes stripped.
  summary=$(sed -E 's/\x1b\[[0-9;]*m//g' "$out/web-test.log" | grep -E '^[[:space:]]*Tests[[:space:]]+[0-9]' | tail -n 1 || true)
  wp=$(echo "$summary" | sed -nE 's/.*[^0-9]([0-9]+) passed.*/\1/p')
  wf=$(echo "$summary" | sed -nE 's/.*[^0-9]([0-9]+) failed.*/\1/p')
  passed=$((passed + ${wp:-0})); failed=$((failed + ${wf:-0}))
  if [ "$web_status" -ne 0 ] && [ -z "$wf" ]; then failed=$((failed + 1)); fi
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed"
exit "$status"
