#!/usr/bin/env bash
# `npm test`: build the binary, type-check and lint, prepare the test cluster binaries, run every
# bun:test suite, and end with the line `N passed, N failed` computed from bun's own summary.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

step() {
  echo "==> $*"
  if ! "$@"; then
    echo "step failed: $*"
    echo "0 passed, 1 failed"
    exit 1
  fi
}

step bun scripts/build.ts
step tsc --noEmit -p .
step biome check .
step bash test/support/prepare-servers.sh
if [ -f test/cluster/prepare.sh ]; then
  step bash test/cluster/prepare.sh
fi

echo "==> bun test"
bun test --timeout 120000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -E '^ *[0-9]+ pass$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
failed=$(grep -E '^ *[0-9]+ fail$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner itself failed (e.g. a file did not load)
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
