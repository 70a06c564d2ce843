#!/usr/bin/env bash
# NodeBB beside Parley, for the yardstick in README.md: the same 20-post topic, the same machine.
#   tests/bench/nodebb/nodebb.sh install   npm install in $NODEBB_DIR (a NodeBB v4.10.3 source tree)
#   tests/bench/nodebb/nodebb.sh reseed    new nodebb_bench database, setup + asset build, start, seed.mjs
#   tests/bench/nodebb/nodebb.sh start|stop
#   tests/bench/nodebb/nodebb.sh pairs [N]  N back-to-back pairs (default 2): NodeBB's bench, then Parley's
#                                           thread bench (DATABASE_URL, default parley_bench on the same server)
# then: node tests/bench/nodebb/bench.mjs   (NodeBB running), and npm run bench -- thread (Parley).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
NODEBB_DIR="${NODEBB_DIR:-$(cd "$HERE/../../../.." && pwd)/nodebb}"
PGURL_ARGS=(-h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U "${PGUSER:-postgres}")
cd "$NODEBB_DIR"
export NODE_ENV=production

start() {
  ./nodebb start >/dev/null 2>&1 </dev/null # the daemon keeps the caller's output open otherwise
  for _ in $(seq 60); do
    if curl -sf -o /dev/null http://127.0.0.1:4567/api/config; then echo "NodeBB is up (loader pid $(cat pidfile))"; return 0; fi
    sleep 1
  done
  echo "NodeBB did not come up; see $NODEBB_DIR/logs/output.log" >&2
  return 1
}

stop() {
  [ -f pidfile ] || { echo "NodeBB is not running"; return 0; }
  local pid
  pid=$(cat pidfile)
  ./nodebb stop >/dev/null || true
  for _ in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || { echo "NodeBB stopped"; return 0; }
    sleep 1
  done
  echo "NodeBB's loader $pid is still running" >&2
  return 1
}

case "${1:-}" in
  install)
    cp install/package.json package.json
    # v4.10.3 pins nodebb-theme-harmony 2.2.63, which the registry reachable here lacks; 2.2.66 (the
    # pin of 4.11.x) differs only in templates the topic page does not use.
    if ! npm view nodebb-theme-harmony@2.2.63 version >/dev/null 2>&1; then
      node -e 'const f="package.json";const p=require("./"+f);p.dependencies["nodebb-theme-harmony"]="2.2.66";require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")'
    fi
    npm install --omit=dev --no-audit --no-fund
    ;;
  reseed)
    stop
    psql "${PGURL_ARGS[@]}" -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS nodebb_bench' -c 'CREATE DATABASE nodebb_bench'
    rm -f config.json
    setup=$(node -e '
      const e = process.env
      console.log(JSON.stringify({ url: "http://127.0.0.1:4567", secret: require("crypto").randomUUID(), database: "postgres",
        "postgres:host": e.PGHOST || "127.0.0.1", "postgres:port": Number(e.PGPORT || 5432), "postgres:username": e.PGUSER || "postgres",
        "postgres:password": e.PGPASSWORD || "", "postgres:database": "nodebb_bench", "postgres:ssl": false,
        "admin:username": "admin", "admin:password": "BenchAdmin!2345", "admin:password:confirm": "BenchAdmin!2345", "admin:email": "admin@example.test" }))')
    # Non-interactive setup (src/install.js reads this JSON); it builds the assets too.
    ./nodebb setup "$setup" > setup.log 2>&1 || { tail -30 setup.log; exit 1; }
    # Listen on loopback only (config.json's bind_address; setup rewrites the file).
    node -e 'const f="./config.json";const c=require(f);c.bind_address="127.0.0.1";require("fs").writeFileSync(f,JSON.stringify(c,null,4)+"\n")'
    start
    node "$HERE/seed.mjs" "${@:2}"
    ;;
  start) start ;;
  stop) stop ;;
  pairs)
    # Each machine's speed moves between runs, so the ratio is read within a pair, never across pairs.
    parley="$(cd "$HERE/../../.." && pwd)"
    database_url="${DATABASE_URL:-postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/parley_bench}"
    psql "${PGURL_ARGS[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'parley_bench'" | grep -q 1 ||
      psql "${PGURL_ARGS[@]}" -c 'CREATE DATABASE parley_bench' >/dev/null
    for pair in $(seq "${2:-2}"); do
      echo "== pair $pair: NodeBB"
      start
      node "$HERE/bench.mjs" --no-cookieless
      stop
      # NodeBB writes on every view (view counts, analytics): PostgreSQL flushes that before Parley's
      # turn. A precaution: checked once, nothing was still running by then (decision 038).
      psql "${PGURL_ARGS[@]}" -qc CHECKPOINT >/dev/null && sleep 5
      echo "== pair $pair: Parley"
      (cd "$parley" && DATABASE_URL="$database_url" npm run -s bench -- thread)
    done
    ;;
  *) echo "usage: $0 install|reseed [--users N]|start|stop|pairs [N]" >&2; exit 2 ;;
esac
