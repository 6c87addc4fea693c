#!/usr/bin/env bash
# Block cache throughput: insert (MD5 check + temp file + rename, with and without fsync), first read
# in a new instance (MD5 verify), later reads. 1 MiB pieces; median of RUNS runs.
# Usage: bench/cache/block-cache.sh [CACHE_DIR]   Environment: TOTAL_MIB (default 1024), RUNS (default 5).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$top/client/target/bench-block-cache}
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
cd "$top"
./mvnw -B -q install -pl common -DskipTests
./mvnw -B -q -pl client test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="client/target/test-classes:client/target/classes:$(cat client/target/bench.classpath)"
echo "cache dir: $dir ($(df -T "$(dirname "$dir")" | awk 'NR==2 { print $2 }')), load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
"$java" -Xmx1g -cp "$cp" org.keepfs.client.cache.BlockCacheBench "$dir" "${TOTAL_MIB:-1024}" "${RUNS:-5}"
