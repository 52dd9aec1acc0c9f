#!/usr/bin/env bash
# Starts Parley on a fresh Debian machine with the .NET SDK: installs Node.js for the web client if
# missing, builds, and serves the API, the sockets and the web client with SQLite storage in ./data.
# Usage: ./run.sh [--urls http://127.0.0.1:5000] [other ASP.NET Core arguments]
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-node.sh
args=("$@")
if ! printf '%s\n' "${args[@]+"${args[@]}"}" | grep -q -- '--urls'; then
  args+=(--urls "http://127.0.0.1:5000")
fi
dotnet build src/Parley.Server -c Release --nologo -v quiet
exec dotnet src/Parley.Server/bin/Release/net10.0/Parley.Server.dll "${args[@]}"
