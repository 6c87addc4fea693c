#!/usr/bin/env bash
# Gateway benchmark: wrk on loopback against `keepfs gateway` and, as the ceiling, a plain Jetty
# static-file handler serving the same bytes. Prints the median of RUNS runs per case.
# Usage: bench/gateway/run.sh [RUNS] [SECONDS]    (needs wrk: apt-get install wrk)
# Environment: WRK_THREADS (2), WARMUP (seconds of wrk before each case's runs, 10).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
secs=${2:-10}
conns=64
threads=${WRK_THREADS:-2}   # wrk threads; they share the 2 cores with the server
work=$(mktemp -d -t keepfs-bench.XXXXXX)
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
jar="$top/deploy/target/keepfs-all.jar"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -f "$jar" ] || (cd "$top" && ./mvnw -B -q -DskipTests package)

# The tree: one small file, a directory of 300 entries (298 files + . + ..), a 64 MiB file.
mkdir -p "$work/data/d300" "$work/static"
echo "one small file" > "$work/data/one"
for i in $(seq -w 1 298); do echo x > "$work/data/d300/file-$i.txt"; done
head -c 67108864 /dev/urandom > "$work/data/big"
touch -d '2025-01-01' "$work/data/one" "$work/data/d300" "$work/data/big"

wait_port() { for _ in $(seq 300); do [ -s "$1" ] && { cat "$1"; return; }; sleep 0.1; done; echo "bench: no port in $1" >&2; exit 1; }

"$java" --enable-native-access=ALL-UNNAMED -jar "$jar" gateway --export "data=$work/data" \
  --listen 127.0.0.1:0 --portfile "$work/gw.port" >"$work/gw.log" 2>&1 &
pids+=($!)
gw=$(wait_port "$work/gw.port")

# Static copies of exactly the bytes the gateway sends, for the ceiling.
curl -sf "http://127.0.0.1:$gw/fs123/7/2/a/data/one" >"$work/static/attr.bin"
curl -sf "http://127.0.0.1:$gw/fs123/7/2/d/data/d300?128;1;0" >"$work/static/listing.bin"
ln -s "$work/data/big" "$work/static/big"
"$java" -cp "$jar" "$top/bench/gateway/StaticCeiling.java" "$work/static" "$work/static.port" \
  "$work/static/attr.bin" "$work/fixed.port" >"$work/static.log" 2>&1 &
pids+=($!)
st=$(wait_port "$work/static.port")
fx=$(wait_port "$work/fixed.port")
gw_pid=${pids[0]}
st_pid=${pids[1]}
tick=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One wrk run against the server with pid $1; prints "requests/s bytes/s server-CPU-microseconds-per-request".
measure() {
  local pid=$1; shift
  local out c0 c1
  c0=$(cpu_ticks "$pid")
  out=$(wrk -t$threads -c$conns -d"${secs}s" "$@")
  c1=$(cpu_ticks "$pid")
  if echo "$out" | grep -q 'Non-2xx'; then echo "bench: non-2xx replies: $out" >&2; exit 1; fi
  local rps tps n
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  tps=$(echo "$out" | awk '/Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2);
    m = (u=="GB") ? 1e9 : (u=="MB") ? 1e6 : (u=="KB") ? 1e3 : 1; printf "%.0f", n*m}')
  echo "$rps $tps $(awk -v d=$((c1 - c0)) -v t="$tick" -v n="$n" 'BEGIN { printf "%.1f", d / t * 1e6 / n }')"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run_case NAME SERVER_PID WRK_ARGS...: warm-up, then RUNS runs; medians of req/s, GB/s and server CPU per request.
run_case() {
  local name=$1 pid=$2; shift 2
  wrk -t$threads -c$conns -d"${WARMUP:-10}s" "$@" >/dev/null   # warm-up (JIT, page cache), not counted
  local r=() t=() c=()
  for _ in $(seq "$runs"); do
    read -r rps tps us < <(measure "$pid" "$@")
    r+=("$rps"); t+=("$tps"); c+=("$us")
  done
  local mr mt mc
  mr=$(printf '%s\n' "${r[@]}" | median)
  mt=$(printf '%s\n' "${t[@]}" | median)
  mc=$(printf '%s\n' "${c[@]}" | median)
  awk -v n="$name" -v r="$mr" -v t="$mt" -v c="$mc" -v runs="${r[*]}" \
    'BEGIN { printf "%-36s median %10.0f req/s %8.3f GB/s %7.1f us CPU/req   runs (req/s): %s\n", n, r, t / 1e9, c, runs }'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)  wrk -t$threads -c$conns -d${secs}s, $runs runs"
# "server CPU/req" is the user + system time of the answering server's process per request.
run_case "gateway GET /a (one file)"         "$gw_pid" "http://127.0.0.1:$gw/fs123/7/2/a/data/one"
run_case "static  GET attr.bin (ceiling)"    "$st_pid" "http://127.0.0.1:$st/attr.bin"
run_case "fixed   attr bytes from memory"    "$st_pid" "http://127.0.0.1:$fx/attr.bin"
run_case "gateway GET /d (300 entries)"      "$gw_pid" "http://127.0.0.1:$gw/fs123/7/2/d/data/d300?128;1;0"
run_case "static  GET listing.bin (ceiling)" "$st_pid" "http://127.0.0.1:$st/listing.bin"
run_case "gateway GET /f (128 KiB chunks)"   "$gw_pid" -s "$top/bench/gateway/file-chunks.lua" "http://127.0.0.1:$gw"
run_case "static  Range 128 KiB (ceiling)"   "$st_pid" -s "$top/bench/gateway/range-chunks.lua" "http://127.0.0.1:$st"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
