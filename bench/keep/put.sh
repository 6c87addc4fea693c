#!/usr/bin/env bash
# Keep PUT throughput on loopback: 64 MiB blocks uploaded with curl -T to `keepfs gateway --data DIR`,
# by 1, 2 and 4 uploaders at once (each uploader PUTs its own distinct blocks one after the other).
# Reports per case the aggregate MB/s (10^6 bytes of body per second of wall time, median of RUNS
# rounds) and the gateway's CPU seconds per GB received (user + system of its process).
# Usage: bench/keep/put.sh [RUNS] [BLOCKS per uploader per round] [UPLOADERS...]   (default: 5 2 1 2 4)
# KEEP_BENCH_DIR puts the data directory elsewhere: /dev/shm takes the disk (and its fsync) out.
# KEEP_BENCH_SERVER=bare runs the Keep handlers alone on a plain Jetty (KeepBenchServer.java);
# KEEP_BENCH_SERVER_ARGS adds options of the server chosen (bare: for example --input-buffer-size 1048576).
# KEEP_BENCH_JFR=FILE records the gateway with Java Flight Recorder (profile settings) into FILE.
set -euo pipefail
runs=${1:-5}
blocks=${2:-2}
shift $(($# > 2 ? 2 : $#))
uploaders=("$@")
if [ ${#uploaders[@]} -eq 0 ]; then uploaders=(1 2 4); fi
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
cd "$root"

./mvnw -B -q compile -pl gateway -am
./mvnw -B -q dependency:build-classpath -pl gateway -Dmdep.includeScope=runtime -Dmdep.outputFile=target/keep-bench.cp
cp="$root/gateway/target/classes:$root/common/target/classes:$(cat gateway/target/keep-bench.cp)"

work=$(mktemp -d "${KEEP_BENCH_DIR:-${TMPDIR:-/tmp}}/keep-put.XXXXXX")
# The blocks to upload live in memory (tmpfs), so reading them costs curl nothing from the disk.
bodies=$(mktemp -d /dev/shm/keep-put-bodies.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work" "$bodies"
}
trap cleanup EXIT
echo bench-token > "$work/tokens"

jfr=()
if [ -n "${KEEP_BENCH_JFR:-}" ]; then
  jfr=("-XX:StartFlightRecording=settings=profile,filename=$KEEP_BENCH_JFR,dumponexit=true")
fi
if [ "${KEEP_BENCH_SERVER:-gateway}" = bare ]; then
  "$java" -Xmx2g --enable-native-access=ALL-UNNAMED "${jfr[@]}" -cp "$cp" bench/keep/KeepBenchServer.java \
    --port-file "$work/port" --data "$work/data" --write-token-file "$work/tokens" ${KEEP_BENCH_SERVER_ARGS:-} \
    > "$work/server.log" 2>&1 &
else
  "$java" -Xmx2g --enable-native-access=ALL-UNNAMED "${jfr[@]}" -cp "$cp" org.keepfs.gateway.cli.GatewayCommand \
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

tck=$(getconf CLK_TCK)
server_cpu() { awk -v t="$tck" '{ printf "%.3f\n", ($14 + $15) / t }' "/proc/$server_pid/stat"; }
server_sys() { awk -v t="$tck" '{ printf "%.3f\n", $15 / t }' "/proc/$server_pid/stat"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Distinct random blocks; a block is only new to the store once, so each round gets fresh ones.
new_block() {
  head -c "$size" /dev/urandom > "$bodies/$1"
  md5sum "$bodies/$1" | cut -c1-32 > "$bodies/$1.md5"
}
put() {
  curl -sf -o /dev/null -H 'Expect:' -H 'Authorization: Bearer bench-token' \
    -T "$bodies/$1" "$url/keep/$(cat "$bodies/$1.md5")"
}
uploader() {
  local u=$1
  for b in $(seq 1 "$blocks"); do put "u$u-b$b"; done
}

new_block warm
for _ in 1 2 3; do put warm; rm -f "$work"/data/blocks/*/"$(cat "$bodies/warm.md5")"; done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${uploaders[@]}"; do
  rates=() cpus=() syss=()
  for _ in $(seq 1 "$runs"); do
    rm -f "$bodies"/u*
    for u in $(seq 1 "$n"); do for b in $(seq 1 "$blocks"); do new_block "u$u-b$b"; done; done
    rm -rf "$work"/data/blocks/*
    c0=$(server_cpu) s0=$(server_sys)
    t0=$(date +%s.%N)
    pids=()
    for u in $(seq 1 "$n"); do uploader "$u" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p"; done
    t1=$(date +%s.%N)
    c1=$(server_cpu) s1=$(server_sys)
    bytes=$((n * blocks * size))
    rates+=("$(awk -v a="$t0" -v b="$t1" -v n="$bytes" 'BEGIN { printf "%.0f", n / (b - a) / 1e6 }')")
    syss+=("$(awk -v a="$s0" -v b="$s1" -v n="$bytes" 'BEGIN { printf "%.2f", (b - a) / (n / 1e9) }')")
    cpus+=("$(awk -v a="$c0" -v b="$c1" -v n="$bytes" 'BEGIN { printf "%.2f", (b - a) / (n / 1e9) }')")
  done
  printf 'PUT 64 MiB blocks, %d uploader(s) at once, %d blocks each per round\n' "$n" "$blocks"
  printf '  runs (MB/s): %s\n  median: %s MB/s\n  server CPU per GB: %s (median %s s, of which system %s s)\n' \
    "${rates[*]}" "$(printf '%s\n' "${rates[@]}" | median)" "${cpus[*]}" "$(printf '%s\n' "${cpus[@]}" | median)" \
    "$(printf '%s\n' "${syss[@]}" | median)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
