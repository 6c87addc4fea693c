#!/usr/bin/env bash
# Reply cache operations per second: puts of 300-byte fs123 replies (with and without fsync), then
# gets of all of them in a new instance. Median of RUNS runs.
# Usage: bench/cache/reply-cache.sh [CACHE_DIR]   Environment: COUNT (default 20000), RUNS (default 5).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$top/client/target/bench-reply-cache}
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
cd "$top"
./mvnw -B -q install -pl common -DskipTests
./mvnw -B -q -pl client test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="client/target/test-classes:client/target/classes:$(cat client/target/bench.classpath)"
echo "cache dir: $dir ($(df -T "$(dirname "$dir")" | awk 'NR==2 { print $2 }')), load average: $(cut -d' ' -f1-3 /proc/loadavg), cpus: $(nproc)"
"$java" -Xmx1g -cp "$cp" org.keepfs.client.cache.ReplyCacheBench "$dir" "${COUNT:-20000}" "${RUNS:-5}"
