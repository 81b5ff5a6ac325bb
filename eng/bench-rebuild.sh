#!/usr/bin/env bash
# eng/bench-rebuild.sh NAME CONTEXT DOCKERFILE CHANGED_FILE [OUTPUT_EXTRA]
# Times, against the real engine and registry: a first push build (steps an earlier variant built with the
# same inputs may already be in BuildKit's cache), a fully cached rebuild, then a rebuild
# after one byte of CHANGED_FILE changed (restored afterwards). Prints "NAME cold=S cached=S changed=S".
# OUTPUT_EXTRA is appended to the image output (e.g. ",compression=zstd,force-compression=true").
set -euo pipefail
name=$1 context=$2 dockerfile=$3 changed=$4 extra=${5:-}
registry=${CIMG_BENCH_REGISTRY:-127.0.0.1:5000}
ref="$registry/cimg-perf/$name:bench"
build() {
  local start end log=${CIMG_BENCH_TREES:-/tmp/cimg-perf}/$name.$1.log
  start=$(date +%s.%N)
  docker buildx build --progress=plain --provenance=false -f "$dockerfile" \
    --output "type=image,name=$ref,push=true$extra" "$context" > "$log" 2>&1 \
    || { tail -20 "$log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
cold=$(build cold)
cached=$(build cached)
# Bytes overwritten in place (same size), as an edit would, with text unique to this run and variant so no
# other variant's build of the same edit is a cache hit; the original is restored on exit.
cp -p "$changed" "${CIMG_BENCH_TREES:-/tmp/cimg-perf}/$name.orig"
trap 'cp -p "${CIMG_BENCH_TREES:-/tmp/cimg-perf}/$name.orig" "$changed"; rm -f "${CIMG_BENCH_TREES:-/tmp/cimg-perf}/$name.orig"' EXIT
printf '%s' "$name-$(date +%s%N)" | dd of="$changed" bs=1 seek=100 conv=notrunc status=none
touch "$changed"
changed_s=$(build changed)
echo "$name cold=$cold cached=$cached changed=$changed_s"
