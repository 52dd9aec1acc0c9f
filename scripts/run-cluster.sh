#!/usr/bin/env bash
# Starts a two-node Parley cluster on loopback: PostgreSQL 15 and Redis from Debian's packages (installed
# when missing), and two server nodes sharing them. Stop everything with Ctrl-C.
#   node A: http://127.0.0.1:5001/   node B: http://127.0.0.1:5002/
# Data lives under ./data/cluster (PostgreSQL cluster files); Redis keeps nothing on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
pg_port=${PG_PORT:-55432}
redis_port=${REDIS_PORT:-56379}

if [ ! -x /usr/lib/postgresql/15/bin/postgres ] || ! command -v redis-server >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql redis-server >/dev/null
fi
bash scripts/install-node.sh
dotnet build src/Parley.Server -c Release --nologo -v quiet

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdata" stop -m fast >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

# PostgreSQL refuses to run as root: its cluster belongs to the postgres user.
pgdata="$root/data/cluster/pg"
mkdir -p "$pgdata"
chown -R postgres:postgres "$root/data/cluster"
if [ ! -f "$pgdata/PG_VERSION" ]; then
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pgdata" -U postgres --auth=trust >/dev/null
fi
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdata" -o "-p $pg_port -k /tmp -c listen_addresses=127.0.0.1" -l "$pgdata/server.log" -w start >/dev/null
runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'parley'" | grep -q 1 \
  || runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE parley" >/dev/null

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
pids+=($!)

common=(--Storage:Provider=postgres
        "--ConnectionStrings:Chat=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=parley"
        "--Redis:Configuration=127.0.0.1:$redis_port")
dll=src/Parley.Server/bin/Release/net10.0/Parley.Server.dll
dotnet "$dll" --urls http://127.0.0.1:5001 "${common[@]}" &
pids+=($!)
sleep 3 # let node A apply the schema first
dotnet "$dll" --urls http://127.0.0.1:5002 "${common[@]}" &
pids+=($!)
echo "Parley cluster: node A http://127.0.0.1:5001/  node B http://127.0.0.1:5002/  (Ctrl-C stops everything)"
wait
