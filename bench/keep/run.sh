#!/usr/bin/env bash
# Keep block throughput on loopback: PUT of 64 MiB blocks, GET of a 64 MiB block, and 1 MiB reads at
# random places of a 64 MiB block (aligned pieces and Range requests) over 4 connections; then fs123
# /f reads of 128 KiB chunks at random places of a 64 MiB collection file (/collections/<name>/ and
# /by_id/<pdh>/).
# Each figure is the median of RUNS runs. Usage: bench/keep/run.sh [RUNS] [SECONDS per wrk run]
# KEEP_BENCH_DIR puts the data directory elsewhere (for example on a tmpfs, to take the disk out of
# the PUT figure); by default it is a fresh directory under $TMPDIR.
# KEEP_BENCH_SERVER=bare runs the Keep handlers alone on a plain Jetty (KeepBenchServer.java, no
# collection trees) instead of `keepfs gateway`, to see what the gateway's assembly costs.
# KEEP_BENCH_SERVER_ARGS adds options of the server chosen (bare: for example --input-buffer-size 65536).
set -euo pipefail
runs=${1:-5}
seconds=${2:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
cd "$root"

./mvnw -B -q compile -pl gateway -am
./mvnw -B -q dependency:build-classpath -pl gateway -Dmdep.includeScope=runtime -Dmdep.outputFile=target/keep-bench.cp
# The reactor's own classes first, so a stale keepfs-common in ~/.m2 cannot shadow them.
cp="$root/gateway/target/classes:$root/common/target/classes:$(cat gateway/target/keep-bench.cp)"

work=$(mktemp -d "${KEEP_BENCH_DIR:-${TMPDIR:-/tmp}}/keep-bench.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
echo bench-token > "$work/tokens"

if [ "${KEEP_BENCH_SERVER:-gateway}" = bare ]; then
  "$java" -Xmx2g -cp "$cp" bench/keep/KeepBenchServer.java --port-file "$work/port" \
    --data "$work/data" --write-token-file "$work/tokens" ${KEEP_BENCH_SERVER_ARGS:-} > "$work/server.log" 2>&1 &
else
  "$java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$cp" org.keepfs.gateway.cli.GatewayCommand \
    --listen 127.0.0.1:0 --portfile "$work/port" \
    --data "$work/data" --write-token-file "$work/tokens" ${KEEP_BENCH_SERVER_ARGS:-} > "$work/server.log" 2>&1 &
fi
server_pid=$!
deadline=$((SECONDS + 60))
until [ -s "$work/port" ]; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log"; exit 1; fi
  sleep 0.2
done
url="http://127.0.0.1:$(cat "$work/port")"
size=$((64 * 1024 * 1024))

# Server CPU time (user + system, in seconds) so far: the load other processes put on the machine
# changes the MB/s figures, much less the CPU the gateway spends per byte.
tck=$(getconf CLK_TCK)
server_cpu() { awk -v t="$tck" '{ printf "%.3f\n", ($14 + $15) / t }' "/proc/$server_pid/stat"; }
cpu_per_gb() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (b - a) / (n / 1e9) }'; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# wrk's "Transfer/sec: 2.31GB" -> MB/s (10^6 bytes), and "7.69GB read" -> bytes
wrk_bytes() { awk '/ read$/ { v = $(NF - 1); u = substr(v, length(v) - 1); n = substr(v, 1, length(v) - 2);
  f = (u == "GB") ? 1073741824 : (u == "MB") ? 1048576 : (u == "KB") ? 1024 : 1; printf "%.0f\n", n * f }'; }
wrk_mbps() { awk '/Transfer\/sec/ { v = $2; u = substr(v, length(v) - 1); n = substr(v, 1, length(v) - 2);
  f = (u == "GB") ? 1073.741824 : (u == "MB") ? 1.048576 : (u == "KB") ? 0.001024 : 0.000001; printf "%.0f\n", n * f }'; }

put_block() {
  head -c "$size" /dev/urandom > "$work/block"
  hash=$(md5sum "$work/block" | cut -c1-32)
  curl -sf -o /dev/null -w '%{time_total}' -H 'Expect:' -H 'Authorization: Bearer bench-token' \
    -T "$work/block" "$url/keep/$hash"
}
put_block > /dev/null   # warm-up: class loading and JIT, not counted; later reads use this block
locator="$hash+$size"

echo "PUT: $runs distinct 64 MiB blocks, one at a time (curl -T)"
put_rates=()
cpu_before=$(server_cpu)
for i in $(seq 1 "$runs"); do
  t=$(put_block)
  put_rates+=("$(awk -v t="$t" -v s="$size" 'BEGIN { printf "%.0f", s / t / 1e6 }')")
done
printf '  runs (MB/s): %s\n  median: %s MB/s\n' "${put_rates[*]}" "$(printf '%s\n' "${put_rates[@]}" | median)"
printf '  server CPU: %s s per GB\n' "$(cpu_per_gb "$cpu_before" "$(server_cpu)" $((runs * size)))"

# The first read hashes the block once; a short run warms the JIT before anything is counted.
curl -sf -o /dev/null "$url/keep/$locator"
wrk -t2 -c4 -d2s -s bench/keep/pieces.lua "$url" -- "$locator" 64 > /dev/null

run_wrk() {
  local label=$1; shift
  local rates=() bytes=0 before out
  before=$(server_cpu)
  for _ in $(seq 1 "$runs"); do
    out=$(wrk "$@")
    rates+=("$(echo "$out" | wrk_mbps)")
    bytes=$((bytes + $(echo "$out" | wrk_bytes)))
  done
  printf '%s\n  runs (MB/s): %s\n  median: %s MB/s\n  server CPU: %s s per GB\n' "$label" "${rates[*]}" \
    "$(printf '%s\n' "${rates[@]}" | median)" "$(cpu_per_gb "$before" "$(server_cpu)" "$bytes")"
}

run_wrk "GET whole 64 MiB block, 1 connection (wrk -t1 -c1 -d${seconds}s)" -t1 -c1 -d"${seconds}s" "$url/keep/$locator"
run_wrk "GET whole 64 MiB block, 4 connections (wrk -t2 -c4 -d${seconds}s)" -t2 -c4 -d"${seconds}s" "$url/keep/$locator"
run_wrk "GET 1 MiB aligned pieces at random, 4 connections (wrk -t2 -c4 -d${seconds}s -s pieces.lua)" \
  -t2 -c4 -d"${seconds}s" -s bench/keep/pieces.lua "$url" -- "$locator" 64
run_wrk "GET 1 MiB Range at random byte offsets, 4 connections (wrk -t2 -c4 -d${seconds}s -s ranges.lua)" \
  -t2 -c4 -d"${seconds}s" -s bench/keep/ranges.lua "$url" -- "$locator" "$size"

if [ "${KEEP_BENCH_SERVER:-gateway}" = bare ]; then exit 0; fi

# A collection whose one file is the 64 MiB block, read the way fs123 clients read: 128 KiB chunks.
curl -sf -o "$work/collection.json" -H 'Authorization: Bearer bench-token' -H 'If-None-Match: *' \
  -T - "$url/collections/bench" <<< "{\"manifest_text\": \". $locator 0:$size:file\\n\"}"
pdh=$(sed 's/.*"portable_data_hash":"\([^"]*\)".*/\1/' "$work/collection.json")
chunks=$((size / 131072))
curl -sf -o /dev/null "$url/fs123/7/2/f/collections/bench/file?128;0"
wrk -t2 -c4 -d2s -s bench/keep/chunks.lua "$url" -- /fs123/7/2/f/collections/bench/file "$chunks" > /dev/null
run_wrk "fs123 /f 128 KiB chunks at random, /collections/bench/file, 1 connection (wrk -t1 -c1 -d${seconds}s -s chunks.lua)" \
  -t1 -c1 -d"${seconds}s" -s bench/keep/chunks.lua "$url" -- /fs123/7/2/f/collections/bench/file "$chunks"
run_wrk "fs123 /f 128 KiB chunks at random, /collections/bench/file, 4 connections (wrk -t2 -c4 -d${seconds}s -s chunks.lua)" \
  -t2 -c4 -d"${seconds}s" -s bench/keep/chunks.lua "$url" -- /fs123/7/2/f/collections/bench/file "$chunks"
run_wrk "fs123 /f 128 KiB chunks at random, /by_id/<pdh>/file, 4 connections (wrk -t2 -c4 -d${seconds}s -s chunks.lua)" \
  -t2 -c4 -d"${seconds}s" -s bench/keep/chunks.lua "$url" -- "/fs123/7/2/f/by_id/$pdh/file" "$chunks"
