#!/usr/bin/env bash
# The whole check: lint, types, then every test. pytest's "no tests collected" (exit 5) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
V=.venv/bin

echo "== ruff"; $V/ruff check --no-cache . || exit 1
echo "== mypy"; $V/mypy models ingest extraction matching erp review_ui payables synth || exit 1
echo "== pytest"
$V/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass" >&2
  exit 1
fi
exit $rc
