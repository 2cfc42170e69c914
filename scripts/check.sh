#!/usr/bin/env bash
# mypy --strict and the import contracts (lint-imports) over the whole `anomalygen.*` namespace.
# Neither tool follows setuptools' package-dir mapping, so both run on a folder of symlinks that
# lays the checkout out as it installs (anomalygen/<room> -> <room>/); directory links mean new
# modules are seen without reinstalling. Error paths read anomalygen/<room>/...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
farm="$root/.cache/typecheck"
# Refreshed in place (not rebuilt) so concurrent runs and mypy's cache stay valid.
mkdir -p "$farm/anomalygen"
for entry in "$root"/anomalygen/*; do
  ln -sfn "$entry" "$farm/anomalygen/$(basename "$entry")"
done
for room in tools graphs agent detectors tui tests; do
  ln -sfn "$root/$room" "$farm/anomalygen/$room"
done
find "$farm" -xtype l -delete
cd "$farm"
"$root/.venv/bin/mypy" --config-file "$root/pyproject.toml" -p anomalygen "$@"
"$root/.venv/bin/lint-imports" --config "$root/pyproject.toml" --no-cache
