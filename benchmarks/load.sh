#!/usr/bin/env bash
# Load test: gunicorn (config/gunicorn.conf.py, production settings) on PostgreSQL with the demo
# content plus 2,000 generated partners; wrk for 30 s at 64 connections against the overview, a
# partner page, the directory and a static file. Prints requests per second, latency percentiles
# and errors for each, and each page's throughput as a ratio of the static file's.
#
#   benchmarks/load.sh
#
# The addresses take turns (three rounds of 10 s each by default), so that the ratios compare
# runs made under the same conditions; latency percentiles are the median of the rounds'.
#
# Needs: PostgreSQL at 127.0.0.1:5432 (user postgres, trust), wrk (apt-get install wrk).
# Environment (all optional):
#   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/loadbench (dropped and recreated)
#   BENCH_PORT          default 8600          BENCH_DURATION     default 30s (per address,
#   BENCH_ROUNDS        default 3                                   in BENCH_ROUNDS turns)
#   BENCH_CONNECTIONS   default 64            BENCH_THREADS      default 2
#   BENCH_PARTNERS      default 2000
#   BENCH_CACHE_URL     default redis://127.0.0.1:6379/15 when Redis answers there (as in
#                       production, docs/deploy.md); that database is emptied first. Set it
#                       empty (BENCH_CACHE_URL=) to measure each worker's local-memory cache.
#                       (CACHE_URL from the environment is ignored: never empty a live cache.)
#   GUNICORN_WORKERS    default cores + 1: wrk, PostgreSQL and Redis share this machine's
#                       cores with gunicorn (measured on 2 cores: 3 workers served ~20% more
#                       than gunicorn.conf.py's 2 x cores + 1, which is for a server of its own)
# "errors" are wrk's socket errors (a response slower than its 2 s timeout counts as one).
# Targets (issue 6): no errors and no 5xx; cached pages at least half the static file's
# throughput; p99 under 100 ms on cached pages.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/loadbench}
PORT=${BENCH_PORT:-8600}
DURATION=${BENCH_DURATION:-30s}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PARTNERS=${BENCH_PARTNERS:-2000}
BASE="http://127.0.0.1:${PORT}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is missing: apt-get install -y postgresql-client" >&2; exit 1; }

WORK=$(mktemp -d)
GUNICORN_PID=""
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  if [ -n "${ADMIN_URL:-}" ]; then psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$DB_NAME\"" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The production configuration, as behind nginx: wrk sends X-Forwarded-Proto like the proxy does.
export DJANGO_ENV=production
export DJANGO_SECRET_KEY="load-benchmark-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"
export GUNICORN_BIND="127.0.0.1:${PORT}"
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-$(($(nproc) + 1))}
export GUNICORN_ACCESS_LOG=/dev/null
export DJANGO_LOG_LEVEL=WARNING

# The shared cache production uses, when there is one; emptied, so no earlier run's pages count.
if [ -z "${BENCH_CACHE_URL+set}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  BENCH_CACHE_URL=redis://127.0.0.1:6379/15
fi
export CACHE_URL=${BENCH_CACHE_URL:-}
if [ -n "$CACHE_URL" ]; then
  "$PYTHON" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$CACHE_URL"
fi

# A fresh database of our own.
DB_NAME=${DATABASE_URL##*/}
ADMIN_URL=${DATABASE_URL%/*}/postgres
psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$DB_NAME\"" -c "CREATE DATABASE \"$DB_NAME\""

echo "== Preparing: migrate, collectstatic, demo content, ${PARTNERS} partners"
"$PYTHON" manage.py migrate -v0
"$PYTHON" manage.py collectstatic --noinput -v0
"$PYTHON" manage.py load_demo
"$PYTHON" benchmarks/make_partners.py "$PARTNERS"

STATIC_PATH=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['paths']['css/site.css'])" "$STATIC_ROOT/staticfiles.json")

"$GUNICORN" -c config/gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 100); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "$BASE/healthz" >/dev/null || { echo "gunicorn did not come up:" >&2; cat "$WORK/gunicorn.log" >&2; exit 1; }
EXPECTED_WORKERS=$GUNICORN_WORKERS
for _ in $(seq 1 50); do
  WORKERS=$(pgrep -P "$GUNICORN_PID" | wc -l)
  [ "$WORKERS" -ge "$EXPECTED_WORKERS" ] && break
  sleep 0.2
done
echo "== gunicorn on $BASE, $WORKERS workers; PostgreSQL $DATABASE_URL; cache: ${CACHE_URL:-local memory per worker}"

# wrk reports its figures through this script, one line, so that they can be compared.
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.6f %d %d %d %d %d %.3f %.3f %.3f %.3f %.3f\n",
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.bytes / summary.requests))
end
LUA

NAMES=()
declare -A PATHS
target() {
  local name=$1 path=$2 status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-Proto: https" "$BASE$path")
  if [ "$status" != "200" ]; then
    printf '%-9s %-30s not measured: answers %s in this build\n' "$name" "$path" "$status"
    return
  fi
  # Each worker renders (and caches) the page once before the measurement.
  for _ in $(seq 1 $((WORKERS * 3))); do curl -s -o /dev/null -H "X-Forwarded-Proto: https" "$BASE$path"; done
  NAMES+=("$name")
  PATHS[$name]=$path
}

target static "/static/$STATIC_PATH"
target overview "/de/"
target partner "/de/partners/warsaw/"
target directory "/de/partners/"

# The targets take turns, ROUNDS times, so that a slow spell of this (shared) machine weighs on
# all of them alike and the ratios stay fair.
case "$DURATION" in
  *m) TOTAL_SECONDS=$(( 10#${DURATION%m} * 60 )) ;;
  *s) TOTAL_SECONDS=$(( 10#${DURATION%s} )) ;;
  *) TOTAL_SECONDS=$(( 10#$DURATION )) ;;
esac
if [ "$ROUNDS" -lt 1 ] || [ "$TOTAL_SECONDS" -lt "$ROUNDS" ]; then
  echo "BENCH_ROUNDS must be at least 1 and at most BENCH_DURATION in seconds." >&2
  exit 1
fi
ROUND_SECONDS=$(( (TOTAL_SECONDS + ROUNDS - 1) / ROUNDS ))
echo "== wrk: ${ROUNDS} rounds of ${ROUND_SECONDS}s per address, ${CONNECTIONS} connections, ${THREADS} threads; $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _round in $(seq 1 "$ROUNDS"); do
  for name in "${NAMES[@]}"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${ROUND_SECONDS}s" -H "X-Forwarded-Proto: https" \
      -s "$WORK/report.lua" "$BASE${PATHS[$name]}" | grep '^RESULT' >>"$WORK/$name.results" ||
      echo "wrk reported nothing for $name in this round" >&2
  done
done

# Throughput over all rounds. wrk reports percentiles per run, and they cannot be merged
# exactly: p50, p90 and p99 are the median of the rounds' (the p99 of every round is listed too),
# max is the highest of all.
declare -A RPS
for name in "${NAMES[@]}"; do
  if [ ! -s "$WORK/$name.results" ]; then
    printf '%-9s %-30s no figures: wrk reported nothing\n' "$name" "${PATHS[$name]}"
    continue
  fi
  read -r rps summary < <(awk '
    function median(values, n,   sorted, i, j, t) {
      for (i = 1; i <= n; i++) sorted[i] = values[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
        if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
      return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
    }
    { n++; requests += $2; seconds += $3; connect += $4; read_ += $5; write_ += $6; timeout += $7;
      non2xx += $8; bytes += $13 * $2; p50[n] = $9; p90[n] = $10; p99[n] = $11
      rounds = rounds (n > 1 ? "/" : "") sprintf("%.0f", $11)
      if ($12 > pmax) pmax = $12 }
    END {
      errors = connect + read_ + write_ + timeout
      printf "%.1f p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms (rounds: %s)  max %8.3f ms  errors %d(connect:%d,read:%d,write:%d,timeout:%d)  non-2xx %d  (%d requests, %.0f bytes each)\n",
        requests / seconds, median(p50, n), median(p90, n), median(p99, n), rounds, pmax,
        errors, connect, read_, write_, timeout, non2xx, requests, bytes / requests
    }' "$WORK/$name.results")
  RPS[$name]=$rps
  printf '%-9s %-30s %9s req/s  %s\n' "$name" "${PATHS[$name]}" "$rps" "$summary"
done

echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${RPS[static]:-}" ]; then
  echo "== No ratios: the static file was not measured." >&2
  exit 1
fi
echo "== Throughput as a ratio of the static file's (${RPS[static]} req/s)"
for name in overview partner directory; do
  if [ -n "${RPS[$name]:-}" ]; then
    awk -v n="$name" -v p="${RPS[$name]}" -v s="${RPS[static]}" 'BEGIN { printf "%-9s %.2f\n", n, p / s }'
  fi
done

echo "== gunicorn errors logged during the run:"
grep -ciE "error|exception|traceback" "$WORK/gunicorn.log" || true
