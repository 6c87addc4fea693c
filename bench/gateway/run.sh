#!/usr/bin/env bash
# Gateway benchmark: wrk on loopback against `keepfs gateway` and, as the ceiling, a plain Jetty
# static-file handler serving the same bytes. Prints the median of RUNS runs per case.
# Usage: bench/gateway/run.sh [RUNS] [SECONDS]    (needs wrk: apt-get install wrk)
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
"$java" -cp "$jar" "$top/bench/gateway/StaticCeiling.java" "$work/static" "$work/static.port" >"$work/static.log" 2>&1 &
pids+=($!)
st=$(wait_port "$work/static.port")

# One wrk run; prints "requests/s bytes/s".
measure() {
  local out
  out=$(wrk -t$threads -c$conns -d"${secs}s" "$@")
  if echo "$out" | grep -q 'Non-2xx'; then echo "bench: non-2xx replies: $out" >&2; exit 1; fi
  local rps tps
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  tps=$(echo "$out" | awk '/Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2);
    m = (u=="GB") ? 1e9 : (u=="MB") ? 1e6 : (u=="KB") ? 1e3 : 1; printf "%.0f", n*m}')
  echo "$rps $tps"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_case() {
  local name=$1; shift
  wrk -t$threads -c$conns -d3s "$@" >/dev/null   # warm-up (JIT, page cache), not counted
  local r=() t=()
  for _ in $(seq "$runs"); do
    read -r rps tps < <(measure "$@")
    r+=("$rps"); t+=("$tps")
  done
  local mr mt
  mr=$(printf '%s\n' "${r[@]}" | median)
  mt=$(printf '%s\n' "${t[@]}" | median)
  awk -v n="$name" -v r="$mr" -v t="$mt" -v runs="${r[*]}" \
    'BEGIN { printf "%-34s median %10.0f req/s %8.3f GB/s   runs (req/s): %s\n", n, r, t / 1e9, runs }'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)  wrk -t$threads -c$conns -d${secs}s, $runs runs"
run_case "gateway GET /a (one file)"        "http://127.0.0.1:$gw/fs123/7/2/a/data/one"
run_case "static  GET attr.bin (ceiling)"   "http://127.0.0.1:$st/attr.bin"
run_case "gateway GET /d (300 entries)"     "http://127.0.0.1:$gw/fs123/7/2/d/data/d300?128;1;0"
run_case "static  GET listing.bin (ceiling)" "http://127.0.0.1:$st/listing.bin"
run_case "gateway GET /f (128 KiB chunks)"  -s "$top/bench/gateway/file-chunks.lua" "http://127.0.0.1:$gw"
run_case "static  Range 128 KiB (ceiling)"  -s "$top/bench/gateway/range-chunks.lua" "http://127.0.0.1:$st"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
