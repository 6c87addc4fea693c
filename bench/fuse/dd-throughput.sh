#!/usr/bin/env bash
# Sequential read and write throughput through a FUSE front end (FUSE_API=lowlevel, the default: libfuse 3
# through FFM; FUSE_API=highlevel: jnr-fuse, libfuse 2): dd bs=1M of
# SIZE_MIB MiB, RUNS times each, median reported. TREE=memory (default) writes into and reads back from
# the in-memory test tree; TREE=pattern reads a generated file and writes into a sink, which measures
# the adapter alone.
# Needs root, /dev/fuse, libfuse2 and fuse3 (fusermount). Usage: [TREE=pattern] bench/fuse/dd-throughput.sh
# Environment: SIZE_MIB (default 1024), RUNS (default 5), HEAP (default 3g), TREE (memory|pattern),
# FUSE_API (lowlevel|highlevel, default: the client's default).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
size_mib=${SIZE_MIB:-1024}
runs=${RUNS:-5}
heap=${HEAP:-3g}
tree=${TREE:-memory}
api_flag=${FUSE_API:+-Dkeepfs.fuse.api=$FUSE_API}
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}

cd "$top"
./mvnw -B -q install -pl common -DskipTests
./mvnw -B -q -pl client test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="client/target/test-classes:client/target/classes:$(cat client/target/bench.classpath)"

work=$(mktemp -d -t keepfs-fuse-bench.XXXXXX)
mnt="$work/mnt"
mkdir "$mnt"
log="$work/mount.log"
pid=""
cleanup() {
  if grep -q " $mnt " /proc/self/mountinfo 2>/dev/null; then fusermount -u "$mnt" || fusermount -u -z "$mnt"; fi
  if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx"$heap" $api_flag -cp "$cp" \
  org.keepfs.client.fuse.MemoryMountMain "$mnt" $([ "$tree" = pattern ] && echo "pattern $((size_mib << 20))") >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -q '^mounted' "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
grep -q '^mounted' "$log" || { echo "the mount did not come up" >&2; cat "$log" >&2; exit 1; }

# dd prints "N bytes ... copied, S s, ..." on stderr; MB/s = N / S / 1e6.
mbps() { awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") secs = $(i-1); printf "%.0f\n", $1 / secs / 1e6 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

write_once() { dd if=/dev/zero of="$mnt/file" bs=1M count="$size_mib" 2>&1 | mbps; }
# Each open without keep_cache drops the file's cached pages, so every read pass goes through FUSE.
source_file="$mnt/file"
[ "$tree" = pattern ] && source_file="$mnt/pattern"
read_once() { dd if="$source_file" of=/dev/null bs=1M 2>&1 | mbps; }

write_once >/dev/null; read_once >/dev/null   # warm-up (JIT), not counted
writes=(); reads=()
for _ in $(seq 1 "$runs"); do writes+=("$(write_once)"); done
for _ in $(seq 1 "$runs"); do reads+=("$(read_once)"); done

if [ "$tree" = pattern ]; then
  # The pattern's byte at offset o is o % 251: check one far into the file.
  byte=$(dd if="$mnt/pattern" bs=1 skip=1000003 count=1 status=none | od -An -tu1 | tr -d ' ')
  [ "$byte" = $((1000003 % 251)) ] || { echo "pattern content is wrong: byte 1000003 = $byte" >&2; exit 1; }
fi
echo "api: ${FUSE_API:-default}, tree: $tree, size: ${size_mib} MiB, runs: $runs, load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
echo "write MB/s: ${writes[*]} -> median $(printf '%s\n' "${writes[@]}" | median)"
echo "read  MB/s: ${reads[*]} -> median $(printf '%s\n' "${reads[@]}" | median)"
