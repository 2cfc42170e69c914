#!/usr/bin/env bash
# Fetch ZooKeeper 3.8.0's real Java source from Debian's source packages into an ignored cache.
# Usage: scripts/fetch-corpus.sh [CACHE_DIR]   (default: .cache/corpus)
# Idempotent: does nothing when the source tree is already unpacked.
set -euo pipefail
cache="${1:-$(dirname "$0")/../.cache/corpus}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
target="$cache/zookeeper-3.8.0"
if [ -d "$target/zookeeper-server/src/main" ]; then
  echo "corpus ready: $target"
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
# apt-get source needs a deb-src entry for bookworm; add one (once) if none is configured.
if ! grep -rqs "deb-src\|Types:.*deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb-src http://deb.debian.org/debian bookworm main" | $sudo_cmd tee /etc/apt/sources.list.d/anomalygen-src.list >/dev/null
  $sudo_cmd apt-get update -qq
fi
cd "$cache"
if ! ls zookeeper_3.8.0*.orig.tar.* >/dev/null 2>&1; then
  apt-get source --download-only zookeeper >/dev/null || { $sudo_cmd apt-get update -qq && apt-get source --download-only zookeeper >/dev/null; }
fi
orig=$(ls zookeeper_3.8.0*.orig.tar.* | head -n 1)
mkdir -p "$target"
tar -xf "$orig" -C "$target" --strip-components=1
echo "corpus ready: $target ($(find "$target" -name '*.java' | wc -l) .java files)"
