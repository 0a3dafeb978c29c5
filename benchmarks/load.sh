#!/usr/bin/env bash
# Load test of the deployment as docs/deploy.md describes it: nginx (Debian's package, the
# configuration of the docs' section 3, TLS, compression, static files and media served by nginx)
# in front of gunicorn (config/gunicorn.conf.py, production settings) on PostgreSQL and Redis,
# with the demo content plus generated partners (2,000 by default). wrk, at 64 connections,
# against the overview, a partner page, the directory and a static file, each in two runs:
#   plain   nothing changes;
#   edits   a partner is saved every 5 s (benchmarks/edit_during_load.py), which makes every
#           cached page out of date; that script also times how soon each edit shows.
# Prints, per run and address: requests per second, latency percentiles, wrk's socket errors,
# responses that were not 2xx/3xx, 5xx (from nginx's log) and how the caches answered (gunicorn's
# X-Page-Cache hit/stale/miss of each response, nginx's own HIT/UPDATING/MISS/
# EXPIRED; the edit script's requests for the partner page are in every address's log); then
# each page's throughput as a ratio of the static file's, and the targets.
#
#   benchmarks/load.sh
#
# The addresses take turns (three rounds of 10 s each by default), so that the ratios compare
# runs made under the same conditions; latency percentiles are the median of the rounds'.
# wrk asks for gzip, as browsers do, over keep-alive TLS connections.
# "static" is nginx's file; "app-static" is the same file from gunicorn (WhiteNoise) without
# nginx, what the figures before nginx was measured compared the pages with.
#
# Needs: PostgreSQL at 127.0.0.1:5432 (user postgres, trust), wrk, nginx and openssl (installed
# with apt-get when missing and run as root), Redis at 127.0.0.1:6379 for the shared cache.
# Environment (all optional):
#   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/loadbench (dropped and recreated)
#   BENCH_PORT          default 8600 (nginx, TLS); gunicorn listens on BENCH_PORT + 1
#   BENCH_DURATION      default 30s (per address and run, in BENCH_ROUNDS turns)
#   BENCH_ROUNDS        default 3
#   BENCH_CONNECTIONS   default 64            BENCH_THREADS      default 2
#   BENCH_PARTNERS      default 2000 (50000: "national scale"; takes a few minutes to generate)
#   BENCH_EDIT_SECONDS  default 5: the interval of the edits in the second run
#   BENCH_RUNS          default "plain edits"
#   BENCH_NGINX_WORKERS default 1: nginx shares this machine's cores with everything else
#   BENCH_CACHE_URL     default redis://127.0.0.1:6379/15 when Redis answers there (as in
#                       production, docs/deploy.md); that database is emptied first. Set it
#                       empty (BENCH_CACHE_URL=) to measure each worker's local-memory cache.
#                       (CACHE_URL from the environment is ignored: never empty a live cache.)
#   GUNICORN_WORKERS    default cores + 1: wrk, nginx, PostgreSQL and Redis share this
#                       machine's cores with gunicorn (measured on 2 cores: 3 workers served
#                       ~20% more than gunicorn.conf.py's 2 x cores + 1, which is for a server
#                       of its own)
# "errors" are wrk's socket errors (a response slower than its 2 s timeout counts as one).
# Targets (issues 6 and 15), in both runs: no errors and no 5xx; p99 under 100 ms on cached pages;
# cached pages at least half the static file's throughput.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/loadbench}
PORT=${BENCH_PORT:-8600}
UPSTREAM_PORT=$((PORT + 1))
DURATION=${BENCH_DURATION:-30s}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PARTNERS=${BENCH_PARTNERS:-2000}
EDIT_SECONDS=${BENCH_EDIT_SECONDS:-5}
RUNS=${BENCH_RUNS:-plain edits}
BASE="https://127.0.0.1:${PORT}"
APP="http://127.0.0.1:${UPSTREAM_PORT}"

# What the benchmark needs from Debian; installed here only where we may (root).
missing=()
for program in wrk psql nginx openssl; do
  command -v "$program" >/dev/null || missing+=("$program")
done
if [ ${#missing[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${missing[@]}" | sed 's/^psql$/postgresql-client/' | tr '\n' ' ')
  if [ "$(id -u)" = 0 ]; then
    echo "== Installing $packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages >/dev/null
  else
    echo "Missing: $packages(apt-get install -y $packages)" >&2
    exit 1
  fi
fi

WORK=$(mktemp -d)
GUNICORN_PID="" NGINX_PID="" EDITS_PID=""
stop() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop "$EDITS_PID"
  stop "$NGINX_PID"
  stop "$GUNICORN_PID"
  if [ -n "${ADMIN_URL:-}" ]; then psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$DB_NAME\"" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The production configuration. nginx terminates TLS and sets X-Forwarded-Proto.
export DJANGO_ENV=production
export DJANGO_SECRET_KEY="load-benchmark-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"
export GUNICORN_BIND="127.0.0.1:${UPSTREAM_PORT}"
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
started=$(date +%s)
"$PYTHON" benchmarks/make_partners.py "$PARTNERS"
echo "   (generated in $(($(date +%s) - started)) s)"
mkdir -p "$MEDIA_ROOT"

STATIC_PATH=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['paths']['css/site.css'])" "$STATIC_ROOT/staticfiles.json")

# nginx with docs/deploy.md's server block (tests/nginx.py changes only ports, paths, certificate).
mkdir -p "$WORK/nginx"
chmod 755 "$WORK"
NGINX_WORKER_PROCESSES=${BENCH_NGINX_WORKERS:-1} \
  "$PYTHON" -m tests.nginx "$WORK/nginx" "$PORT" "$UPSTREAM_PORT" "$STATIC_ROOT" "$MEDIA_ROOT" >/dev/null
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' &
NGINX_PID=$!

"$GUNICORN" -c config/gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 100); do
  curl -fsk "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsk "$BASE/healthz" >/dev/null || {
  echo "nginx or gunicorn did not come up:" >&2; cat "$WORK/gunicorn.log" "$WORK/nginx/error.log" >&2; exit 1; }
EXPECTED_WORKERS=$GUNICORN_WORKERS
for _ in $(seq 1 50); do
  WORKERS=$(pgrep -P "$GUNICORN_PID" | wc -l)
  [ "$WORKERS" -ge "$EXPECTED_WORKERS" ] && break
  sleep 0.2
done
echo "== nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') on $BASE -> gunicorn on $APP, $WORKERS workers; PostgreSQL $DATABASE_URL; cache: ${CACHE_URL:-local memory per worker}"

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
declare -A URLS
target() {
  local name=$1 url=$2 status seconds
  # The first request: each page is rendered (and cached) by it.
  read -r status seconds < <(curl -sk -o /dev/null -w '%{http_code} %{time_total}\n' \
    -H "X-Forwarded-Proto: https" "$url")
  if [ "$status" != "200" ]; then
    printf '   %-10s %-40s not measured: answers %s in this build\n' "$name" "$url" "$status"
    return
  fi
  printf '   %-10s %-40s first request %s s\n' "$name" "$url" "$seconds"
  # Without Redis, each worker renders (and caches) the page once before the measurement.
  for _ in $(seq 1 $((WORKERS * 3))); do
    curl -sk -o /dev/null -H "X-Forwarded-Proto: https" -H "Accept-Encoding: gzip" "$url"
  done
  NAMES+=("$name")
  URLS[$name]=$url
}

echo "== Warming up"
target static "$BASE/static/$STATIC_PATH"
target app-static "$APP/static/$STATIC_PATH"
target overview "$BASE/de/"
target partner "$BASE/de/partners/warsaw/"
target directory "$BASE/de/partners/"

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

# nginx's log of one wrk run, "status page-cache-state" per response: kept (moved to $1) or
# dropped, and reopened.
take_nginx_log() {
  sleep 1.1  # the log's buffer is flushed every second
  if [ -f "$WORK/nginx/access.log" ]; then
    if [ -n "${1:-}" ]; then mv "$WORK/nginx/access.log" "$1"; else rm "$WORK/nginx/access.log"; fi
  fi
  kill -USR1 "$NGINX_PID"
  sleep 0.2
}

measure() {
  local run=$1
  for _round in $(seq 1 "$ROUNDS"); do
    for name in "${NAMES[@]}"; do
      # A popular page is read all the time, so an edit made while another address was measured
      # has been rendered by the time the next reader comes: one request renders it here.
      # (Without it, all 64 connections would find a page older than the stale bound.) With
      # gzip, as wrk asks: nginx keeps a copy per Accept-Encoding, and readers of a copy that
      # is not there yet wait for it in steps of half a second (proxy_cache_lock).
      curl -sk -o /dev/null -H "Accept-Encoding: gzip" "${URLS[$name]}"
      take_nginx_log
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"${ROUND_SECONDS}s" -H "Accept-Encoding: gzip" \
        -H "X-Forwarded-Proto: https" -s "$WORK/report.lua" "${URLS[$name]}" |
        grep '^RESULT' >>"$WORK/$run.$name.results" ||
        echo "wrk reported nothing for $name in this round" >&2
      take_nginx_log "$WORK/$run.$name.log.$_round"
    done
  done
}

# Throughput over all rounds. wrk reports percentiles per run, and they cannot be merged
# exactly: p50, p90 and p99 are the median of the rounds' (the p99 of every round is listed too),
# max is the highest of all.
declare -A RPS P99 BAD
summarise() {
  local run=$1 name rps p99 bad summary outcomes
  for name in "${NAMES[@]}"; do
    if [ ! -s "$WORK/$run.$name.results" ] || awk '$2 == 0 { none = 1 } END { exit !none }' "$WORK/$run.$name.results"; then
      printf '%-10s no figures: wrk reported nothing, or no response in a round\n' "$name"
      BAD[$run.$name]=1
      continue
    fi
    read -r rps p99 bad summary < <(awk '
      function median(values, n,   sorted, i, j, t) {
        for (i = 1; i <= n; i++) sorted[i] = values[i]
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
          if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
        return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
      }
      { n++; requests += $2; seconds += $3; connect += $4; read_ += $5; write_ += $6; timeout += $7;
        status += $8; bytes += $13 * $2; p50[n] = $9; p90[n] = $10; p99[n] = $11
        rounds = rounds (n > 1 ? "/" : "") sprintf("%.0f", $11)
        if ($12 > pmax) pmax = $12 }
      END {
        errors = connect + read_ + write_ + timeout
        printf "%.1f %.3f %d p50 %6.2f ms  p90 %6.2f ms  p99 %7.2f ms (rounds: %s)  max %8.2f ms  errors %d(connect:%d,read:%d,write:%d,timeout:%d)  non-2xx/3xx %d  (%d requests, %.0f bytes each)\n",
          requests / seconds, median(p99, n), errors + status, median(p50, n), median(p90, n),
          median(p99, n), rounds, pmax, errors, connect, read_, write_, timeout, status,
          requests, bytes / requests
      }' "$WORK/$run.$name.results")
    outcomes=""
    if compgen -G "$WORK/$run.$name.log.*" >/dev/null; then
      read -r fivexx outcomes < <(cat "$WORK/$run.$name.log."* | awk '
        $1 >= 500 { fivexx++ }
        $2 != "-" && $2 != "" { app[$2]++ }
        $3 != "-" && $3 != "" { proxy[$3]++ }
        END {
          line = " X-Page-Cache"
          for (state in app) line = line sprintf(" %s:%d", state, app[state])
          line = line "; nginx"
          for (state in proxy) line = line sprintf(" %s:%d", state, proxy[state])
          printf "%d%s\n", fivexx, line
        }')
      bad=$((bad + fivexx))
      outcomes="  5xx $fivexx  page cache:$outcomes"
    fi
    RPS[$run.$name]=$rps
    P99[$run.$name]=$p99
    BAD[$run.$name]=$bad
    printf '%-10s %9s req/s  %s%s\n' "$name" "$rps" "$summary" "$outcomes"
  done
}

: >"$WORK/nginx/error.log"  # what start-up logged (gunicorn not up yet) is not the measurement's
echo "== wrk: ${ROUNDS} rounds of ${ROUND_SECONDS}s per address and run, ${CONNECTIONS} connections, ${THREADS} threads; $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $RUNS; do
  if [ "$run" = edits ]; then
    "$PYTHON" benchmarks/edit_during_load.py "$BASE/de/partners/warsaw/" "$EDIT_SECONDS" \
      >"$WORK/edits.log" 2>&1 &
    EDITS_PID=$!
  fi
  measure "$run"
  echo "== Run \"$run\"$([ "$run" = edits ] && echo ": a partner saved every ${EDIT_SECONDS} s") (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$run" = edits ]; then
    stop "$EDITS_PID"
    EDITS_PID=""
    sed 's/^EDITS /   edits: /' "$WORK/edits.log"
  fi
  summarise "$run"
done

echo "== Throughput as a ratio of the static file's: nginx's (the target) / gunicorn's"
verdict=pass
for run in $RUNS; do
  [ -n "${RPS[$run.static]:-}" ] || { echo "$run: the static file was not measured" >&2; verdict=fail; continue; }
  for name in overview partner directory; do
    [ -n "${RPS[$run.$name]:-}" ] || continue
    read -r ok line < <(awk -v run="$run" -v n="$name" -v p="${RPS[$run.$name]}" \
      -v s="${RPS[$run.static]}" -v a="${RPS[$run.app-static]:-0}" -v p99="${P99[$run.$name]}" \
      -v bad="${BAD[$run.$name]}" 'BEGIN {
        ok = (p / s >= 0.5 && p99 < 100 && bad == 0)
        printf "%d %-6s %-10s %.2f / %s  p99 %.1f ms  errors+non-2xx/3xx+5xx %d  %s\n", ok, run, n,
          p / s, (a > 0 ? sprintf("%.2f", p / a) : "-"), p99, bad,
          (ok ? "meets the targets" : "MISSES the targets") }')
    echo "$line"
    [ "$ok" = 1 ] || verdict=fail
  done
done
echo "== Targets (errors, 5xx, p99 < 100 ms, at least half nginx's static throughput) in every run: $verdict"

echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== gunicorn errors logged during the run (by kind):"
grep -iE "error|exception|timeout" "$WORK/gunicorn.log" | sed -E 's/^\[[^]]*\] \[[0-9]+\] //; s/pid:[0-9]+/pid/' |
  sort | uniq -c | head -10 || echo 0
echo "== nginx errors logged during the run (by kind):"
grep "\[error\]\|\[crit\]\|\[alert\]" "$WORK/nginx/error.log" |
  sed -E 's/^[0-9/: ]+//; s/#[0-9]+: \*[0-9]+ /: /; s/, client:.*//' | sort | uniq -c || echo 0
