#!/usr/bin/env bash
# Compile and run the example service to (re)generate its real logs under logs/.
# Needs Java 17 and Debian's logging jars: apt-get install libslf4j-java liblog4j2-java
# SLF4J -> log4j 1.2 API (slf4j-log4j12) -> log4j 2 core (log4j-1.2-api bridge): one layout for all.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
J=/usr/share/java
cp="$J/slf4j-api.jar:$J/slf4j-log4j12.jar:$J/log4j-api.jar:$J/log4j-core.jar:$J/log4j-1.2-api.jar"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
javac -d "$build" -cp "$cp" $(find "$here/src/main/java" -name '*.java')
mkdir -p "$here/logs"
java -cp "$build:$here/src/main/resources:$cp" \
  -Dblockstore.log="$here/logs/blockstore.log" \
  org.example.blockstore.BlockStoreServer --blocks "${BLOCKS:-800}" --seed "${SEED:-42}" \
  --fault-rate "${FAULT_RATE:-0.04}" --labels "$here/logs/labels.csv"
echo "wrote $here/logs/blockstore.log ($(wc -l < "$here/logs/blockstore.log") lines) and logs/labels.csv"
