#!/usr/bin/env bash
# eng/test.sh — the README's test command: brings up the engine (unless DOCKER_HOST already points at
# one), runs every test of ContainerImage.sln, stops what it started, and prints
# "N passed, N failed, N skipped" computed from the TRX results.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/artifacts/test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

started_engine=0
if [ -z "${DOCKER_HOST:-}" ] || ! docker version >/dev/null 2>&1; then
  STATE=${CIMG_ENGINE_STATE:-/tmp/cimg-engine}
  was_running=0
  [ -s "$STATE/dockerd.pid" ] && kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null && was_running=1
  if ! bash eng/engine.sh up > "$ROOT/artifacts/engine-up.log" 2>&1; then
    tail -30 "$ROOT/artifacts/engine-up.log"
    echo "engine set-up failed (see artifacts/engine-up.log)"
  fi
  tail -3 "$ROOT/artifacts/engine-up.log"
  [ "$was_running" = 0 ] && started_engine=1
  # shellcheck disable=SC1091
  [ -f "$STATE/env" ] && . "$STATE/env"
fi
export DOCKER_HOST CIMG_TEST_REGISTRY="${CIMG_TEST_REGISTRY:-127.0.0.1:5000}"

# Kill the whole run if it hangs: CI must stay well under its limit.
timeout --kill-after=30 "${CIMG_TEST_TIMEOUT:-1800}" \
  dotnet test ContainerImage.sln -- --report-trx --results-directory "$RESULTS" 2>&1 | tee "$ROOT/artifacts/test.log"
status=${PIPESTATUS[0]}

[ "$started_engine" = 1 ] && bash eng/engine.sh down >/dev/null 2>&1

python3 - "$RESULTS" "$status" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
    for r in ET.parse(f).getroot().iterfind(".//t:UnitTestResult", ns):
        o = r.get("outcome")
        if o == "Passed": passed += 1
        elif o in ("NotExecuted", "Inconclusive"): skipped += 1
        else: failed += 1
if not files or (int(sys.argv[2]) != 0 and failed == 0):
    failed += 1  # the run itself failed (build error, crash, timeout) without a failing result
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
