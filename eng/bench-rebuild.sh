#!/usr/bin/env bash
# eng/bench-rebuild.sh NAME CONTEXT DOCKERFILE CHANGED_FILE [OUTPUT_EXTRA]
# Times, against the real engine and registry: a cold push build, a fully cached rebuild, then a rebuild
# after one byte of CHANGED_FILE changed (restored afterwards). Prints "NAME cold=S cached=S changed=S".
# OUTPUT_EXTRA is appended to the image output (e.g. ",compression=zstd,force-compression=true").
set -euo pipefail
name=$1 context=$2 dockerfile=$3 changed=$4 extra=${5:-}
registry=${CIMG_BENCH_REGISTRY:-127.0.0.1:5000}
ref="$registry/cimg-perf/$name:bench"
build() {
  local start end
  start=$(date +%s.%N)
  docker buildx build --provenance=false -f "$dockerfile" \
    --output "type=image,name=$ref,push=true$extra" "$context" > "/tmp/cimg-perf/$name.log" 2>&1 \
    || { tail -20 "/tmp/cimg-perf/$name.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
cold=$(build)
cached=$(build)
# One byte flipped in place (same size), as an edit would; the original is restored on exit.
cp -p "$changed" "/tmp/cimg-perf/$name.orig"
trap 'cp -p "/tmp/cimg-perf/$name.orig" "$changed"; rm -f "/tmp/cimg-perf/$name.orig"' EXIT
printf 'X' | dd of="$changed" bs=1 seek=100 conv=notrunc status=none
touch "$changed"
changed_s=$(build)
echo "$name cold=$cold cached=$cached changed=$changed_s"
