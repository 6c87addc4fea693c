#!/usr/bin/env bash
# A/B of two gateway builds on the same tree, runs interleaved (A B A B ...) so that the load of other
# processes falls on both alike. Prints each run and the medians of req/s, MB/s and server CPU per request
# (user + system time of the gateway's threads other than the JIT compilers, per request).
# Usage: bench/gateway/ab.sh CLASSPATH_A CLASSPATH_B REQUEST [RUNS] [SECONDS]
#   CLASSPATH_x: a launcher jar, or "classes-dir:jar" to try changed classes in front of a jar
#   REQUEST: the part after /fs123/7/2, e.g. "/a/data/one", "/d/data/d300?128;1;0", or "f" for the
#            128 KiB chunks of the 64 MiB file (bench/gateway/file-chunks.lua)
# Environment: WRK_THREADS (2), CONNS (64), WARMUP (seconds of wrk per build before the runs, 10),
#   GW_ARGS (extra `keepfs gateway` options for both).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cp_a=$1 cp_b=$2 req=$3 runs=${4:-5} secs=${5:-5}
threads=${WRK_THREADS:-2} conns=${CONNS:-64}
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
work=$(mktemp -d -t keepfs-ab.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "ab: wrk is not installed (apt-get install wrk)" >&2; exit 2; }

mkdir -p "$work/data/d300"
echo "one small file" > "$work/data/one"
for i in $(seq -w 1 298); do echo x > "$work/data/d300/file-$i.txt"; done
head -c 67108864 /dev/urandom > "$work/data/big"
touch -d '2025-01-01' "$work/data/one" "$work/data/d300" "$work/data/big"

start() {
  # shellcheck disable=SC2086
  "$java" --enable-native-access=ALL-UNNAMED -cp "$1" org.keepfs.cli.Main gateway --export "data=$work/data" \
    --listen 127.0.0.1:0 --portfile "$work/$2.port" ${GW_ARGS:-} >"$work/$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do [ -s "$work/$2.port" ] && return; sleep 0.1; done
  echo "ab: gateway $2 did not start: $(cat "$work/$2.log")" >&2; exit 1
}
start "$cp_a" A
start "$cp_b" B
port_A=$(cat "$work/A.port") port_B=$(cat "$work/B.port")
pid_A=${pids[0]} pid_B=${pids[1]}
tick=$(getconf CLK_TCK)

wrk_args() {
  local port=$1
  if [ "$req" = f ]; then echo "-s $top/bench/gateway/file-chunks.lua http://127.0.0.1:$port"
  else echo "http://127.0.0.1:$port/fs123/7/2$req"; fi
}
# CPU ticks of the process without its JIT compiler threads: under load, compilations late in the
# warm-up land in the measured runs and would count as request work.
cpu_ticks() {
  local total=0 t
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in C1\ Compi*|C2\ Compi*) continue ;; esac
    total=$((total + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
measure() {   # prints "req/s MB/s cpu-us-per-request"
  local pid=$1 port=$2 out c0 c1
  c0=$(cpu_ticks "$pid")
  # shellcheck disable=SC2046
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" $(wrk_args "$port"))
  c1=$(cpu_ticks "$pid")
  if echo "$out" | grep -q 'Non-2xx'; then echo "ab: non-2xx replies: $out" >&2; exit 1; fi
  echo "$out" | awk -v d=$((c1 - c0)) -v t="$tick" '
    /requests in/ {n=$1} /Requests\/sec/ {r=$2}
    /Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); x=substr(v, 1, length(v)-2);
      b = x * ((u=="GB") ? 1e9 : (u=="MB") ? 1e6 : (u=="KB") ? 1e3 : 1)}
    END {printf "%.0f %.1f %.1f\n", r, b / 1e6, d / t * 1e6 / n}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  wrk -t$threads -c$conns -d${secs}s  request $req  $runs runs each"
# shellcheck disable=SC2046
wrk -t"$threads" -c"$conns" -d"${WARMUP:-10}s" $(wrk_args "$port_A") >/dev/null
# shellcheck disable=SC2046
wrk -t"$threads" -c"$conns" -d"${WARMUP:-10}s" $(wrk_args "$port_B") >/dev/null
declare -A r m c
for i in $(seq "$runs"); do
  for v in A B; do
    pid_var=pid_$v port_var=port_$v
    read -r rps mbs us < <(measure "${!pid_var}" "${!port_var}")
    r[$v]+="$rps " m[$v]+="$mbs " c[$v]+="$us "
    echo "run $i $v: $rps req/s  $mbs MB/s  $us us CPU/req  (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
for v in A B; do
  printf '%s median: %s req/s  %s MB/s  %s us server CPU/req   runs: %s\n' "$v" \
    "$(printf '%s\n' ${r[$v]} | median)" "$(printf '%s\n' ${m[$v]} | median)" \
    "$(printf '%s\n' ${c[$v]} | median)" "${r[$v]}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
