#!/usr/bin/env bash
# Library writer benchmark (bench/writer/run single|parallel|memory lands here): the collection writer library
# writing to a gateway in the same JVM on loopback (local block store under /dev/shm), then committing. Builds the
# modules, then runs bench/writer/WriterBench.java with the source launcher.
#   bench/writer/run single     2 GiB in 1 MiB writes to one file, then commit (median of 3)
#   bench/writer/run parallel   4 writers x 512 MiB in parallel, then commit (median of 3)
#   bench/writer/run memory     4 GiB with a 256 MiB memory limit: peak heap and RSS (-Xmx1g: the gateway,
#                               which holds whole blocks while it stores them, shares the heap)
# Options as system properties in JAVA_OPTS, e.g. JAVA_OPTS="-Druns=5 -Dwork=/tmp/wb" bench/writer/run single
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
java=${KEEPFS_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
mode=${1:-single}
cpfile=$top/client/target/bench-classpath.txt
# -am keeps the reactor's poms (not whatever another checkout installed) in charge of versions; the
# client module is built last, so its classpath is the one left in the file.
(cd "$top" && ./mvnw -B -q compile -pl client -am \
  && ./mvnw -B -q dependency:build-classpath -pl client -am -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile")
# The reactor's own modules come from this checkout, not from the local repository.
deps=$(tr ':' '\n' < "$cpfile" | grep -v '/org/keepfs/' | paste -sd: -)
cp="$top/client/target/classes:$top/gateway/target/classes:$top/common/target/classes:$deps"
heap=-Xmx2g
if [ "$mode" = memory ]; then heap=-Xmx1g; fi
exec "$java" $heap ${JAVA_OPTS:-} -Dmode="$mode" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" "$top/bench/writer/WriterBench.java"
