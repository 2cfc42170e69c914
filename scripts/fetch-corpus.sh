#!/usr/bin/env bash
# Fetch real Java sources from Debian's source packages into an ignored cache:
# ZooKeeper 3.8.0 (the main corpus), Tomcat 10.1 (its own logging facade and .properties
# message bundles) and Spring Framework 4.3.30 (commons-logging, message helpers). Usage: scripts/fetch-corpus.sh [CACHE_DIR]   (default: .cache/corpus)
# Idempotent: a source tree already unpacked is left alone.
set -euo pipefail
cache="${1:-$(dirname "$0")/../.cache/corpus}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

# fetch PACKAGE ORIG_GLOB TARGET_DIR MARKER: unpack PACKAGE's upstream tarball into TARGET_DIR
fetch() {
  local package="$1" orig_glob="$2" target="$cache/$3" marker="$4"
  if [ -d "$target/$marker" ]; then
    echo "corpus ready: $target"
    return 0
  fi
  # apt-get source needs a deb-src entry for bookworm; add one (once) if none is configured.
  if ! grep -rqs "deb-src\|Types:.*deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deb-src http://deb.debian.org/debian bookworm main" | $sudo_cmd tee /etc/apt/sources.list.d/anomalygen-src.list >/dev/null
    $sudo_cmd apt-get update -qq
  fi
  (
    cd "$cache"
    if ! ls $orig_glob >/dev/null 2>&1; then
      apt-get source --download-only "$package" >/dev/null \
        || { $sudo_cmd apt-get update -qq && apt-get source --download-only "$package" >/dev/null; }
    fi
    orig=$(ls $orig_glob | head -n 1)
    mkdir -p "$target"
    tar -xf "$orig" -C "$target" --strip-components=1
  )
  echo "corpus ready: $target ($(find "$target" -name '*.java' | wc -l) .java files)"
}

fetch zookeeper 'zookeeper_3.8.0*.orig.tar.*' zookeeper-3.8.0 zookeeper-server/src/main
fetch tomcat10 'tomcat10_10.1.*.orig.tar.*' tomcat10 java/org/apache/catalina
fetch libspring-java 'libspring-java_4.3.30*.orig.tar.*' spring-4.3.30 spring-core/src/main

# Hadoop 0.18.2's HDFS source, the code that printed loghub's HDFS log: shipped beside the project
# in ../shared/corpora (never committed here); unpacked into the same ignored cache.
hdfs_tar="$(dirname "$0")/../../shared/corpora/hadoop-0.18.2-hdfs.tar.gz"
if [ -f "$hdfs_tar" ] && [ ! -d "$cache/hadoop-0.18.2/src/hdfs" ]; then
  mkdir -p "$cache/hadoop-0.18.2"
  tar -xzf "$hdfs_tar" -C "$cache/hadoop-0.18.2" --strip-components=1
fi
[ -d "$cache/hadoop-0.18.2/src/hdfs" ] && echo "corpus ready: $cache/hadoop-0.18.2/src/hdfs"
exit 0
