#!/usr/bin/env bash
# mypy and the import contracts (lint-imports) over the installed `anomalygen.*` tree. mypy cannot follow setuptools' package-dir
# mapping in the checkout, so check the strict-editable tree (symlinks back to the checkout,
# refreshed first so new modules are seen); error paths read anomalygen/<room>/...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/.venv/bin/pip" install -q --no-deps -e "$root" --config-settings editable_mode=strict
tree=$(ls -d "$root"/build/__editable__.anomalygen-*)
cd "$tree"
"$root/.venv/bin/mypy" --config-file "$root/pyproject.toml" -p anomalygen "$@"
"$root/.venv/bin/lint-imports" --config "$root/pyproject.toml" --no-cache
