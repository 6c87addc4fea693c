#!/usr/bin/env bash
# Compares the two FUSE front ends (highlevel: jnr-fuse/libfuse 2; lowlevel: libfuse 3 through FFM) and
# bindfs as the ceiling of a FUSE filesystem in C:
#   ls -lR of a tree of DIRS directories x FILES files (cold = first listing after a fresh mount, warm =
#   the same again, within the 60 s every answer may be cached), and
#   dd bs=1M of a SIZE_MIB MiB generated file (each open drops the cached pages, so every pass goes through FUSE).
# RUNS runs each (a fresh mount per ls run), median reported. Needs root, /dev/fuse, libfuse2, libfuse3-3,
# fuse3 and bindfs. Usage: bench/fuse/compare-apis.sh
# Environment: DIRS (200), FILES (100), SIZE_MIB (1024), RUNS (5), HEAP (2g), WHAT ("ls dd").
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dirs=${DIRS:-200}
files=${FILES:-100}
size_mib=${SIZE_MIB:-1024}
runs=${RUNS:-5}
heap=${HEAP:-2g}
what=${WHAT:-ls dd}
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}

cd "$top"
./mvnw -B -q install -pl common -DskipTests
./mvnw -B -q -pl client test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="client/target/test-classes:client/target/classes:$(cat client/target/bench.classpath)"

work=$(mktemp -d -t keepfs-fuse-compare.XXXXXX)
shm=$(mktemp -d -p /dev/shm keepfs-fuse-compare.XXXXXX)
mnt="$work/mnt"
mkdir "$mnt"
pid=""
mounted() { grep -q " $mnt " /proc/self/mountinfo; }
unmount() {
  for _ in $(seq 1 100); do mounted || break; fusermount -u "$mnt" 2>/dev/null || sleep 0.1; done
  if mounted; then fusermount -u -z "$mnt"; fi
  if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; pid=""; fi
}
cleanup() { unmount; rm -rf "$work" "$shm"; }
trap cleanup EXIT

# mount_java API ARGS...: MemoryMountMain in the background until it prints "mounted".
mount_java() {
  local api=$1; shift
  "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xmx"$heap" \
    -Dkeepfs.fuse.api="$api" -Dkeepfs.fuse.timeout=60 -cp "$cp" \
    org.keepfs.client.fuse.MemoryMountMain "$mnt" "$@" >"$work/mount.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    grep -q '^mounted' "$work/mount.log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/mount.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "the $api mount did not come up" >&2; cat "$work/mount.log" >&2; exit 1
}
mount_bindfs() { bindfs "$1" "$mnt"; }

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l | xargs printf '%.3f\n'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mbps() { awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") secs = $(i-1); printf "%.0f\n", $1 / secs / 1e6 }'; }
report() { echo "$1: $2 -> median $(printf '%s\n' $2 | median)"; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc), kernel: $(uname -r)"

if [[ " $what " == *" ls "* ]]; then
  expected=$((dirs * files + dirs))
  # The same tree as real files for bindfs: sizes as in GeneratedTreeFileSystem (file j has j bytes, sparse).
  for ((k = 0; k < dirs; k++)); do
    d=$(printf '%s/tree/d%03d' "$shm" "$k"); mkdir -p "$d"
    (cd "$d" && for ((j = 0; j < files; j++)); do truncate -s "$j" "$(printf 'f%05d' "$j")"; done)
  done
  for fe in highlevel lowlevel bindfs; do
    cold=(); warm=()
    for _ in $(seq 1 "$runs"); do
      if [ "$fe" = bindfs ]; then mount_bindfs "$shm/tree"; else mount_java "$fe" tree "$dirs" "$files"; fi
      n=$(ls -lR "$mnt" | grep -c '^-')
      [ "$n" = $((dirs * files)) ] || { echo "$fe listed $n files, expected $((dirs * files))" >&2; exit 1; }
      unmount
      if [ "$fe" = bindfs ]; then mount_bindfs "$shm/tree"; else mount_java "$fe" tree "$dirs" "$files"; fi
      cold+=("$(seconds ls -lR "$mnt")")
      warm+=("$(seconds ls -lR "$mnt")")
      unmount
    done
    report "ls -lR $fe cold s ($expected entries)" "${cold[*]}"
    report "ls -lR $fe warm s" "${warm[*]}"
  done
fi

if [[ " $what " == *" dd "* ]]; then
  head -c "$((size_mib << 20))" /dev/zero >"$shm/file"
  for fe in highlevel lowlevel bindfs; do
    if [ "$fe" = bindfs ]; then mount_bindfs "$shm"; src="$mnt/file"; else mount_java "$fe" pattern "$((size_mib << 20))"; src="$mnt/pattern"; fi
    dd if="$src" of=/dev/null bs=1M status=none   # warm-up (JIT), not counted
    reads=()
    for _ in $(seq 1 "$runs"); do reads+=("$(dd if="$src" of=/dev/null bs=1M 2>&1 | mbps)"); done
    if [ "$fe" != bindfs ]; then
      byte=$(dd if="$src" bs=1 skip=1000003 count=1 status=none | od -An -tu1 | tr -d ' ')
      [ "$byte" = $((1000003 % 251)) ] || { echo "$fe: pattern content is wrong: byte 1000003 = $byte" >&2; exit 1; }
    fi
    unmount
    report "dd read $fe MB/s (${size_mib} MiB)" "${reads[*]}"
  done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
