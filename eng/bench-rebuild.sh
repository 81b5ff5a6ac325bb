#!/usr/bin/env bash
# eng/bench-rebuild.sh NAME CONTEXT DOCKERFILE MODE EXTRA LABEL=FILE [LABEL=FILE ...]
# Times, against the real engine and registry: a first push build (steps an earlier variant built with the
# same inputs may already be in BuildKit's cache), a fully cached rebuild, then for each LABEL=FILE a rebuild
# after one byte run of FILE changed (restored before the next one). Prints
# "NAME cold=S cached=S LABEL=S ..." (seconds).
# MODE is how the image reaches the registry:
#   direct       buildx pushes itself (--output type=image,push=true): what a plain `docker buildx build --push` does;
#   sdk          what the SDK runs by default for a reproducible push on the engine's built-in builder
#                (src/ContainerImage.Tasks/Build/BuildxArguments.cs, BuildRunner.Layout.cs): SOURCE_DATE_EPOCH=0, the
#                Dockerfile.linked beside DOCKERFILE when there is one (chunks after a folder's first are COPY --link),
#                an OCI layout folder (type=oci,tar=false) kept between builds, uncompressed and WITHOUT
#                rewrite-timestamp, its index.json deleted before each build; then
#                `ContainerImage.Benchmarks retime-push FOLDER REF linked-chunks.json` clamps and gzips each new layer
#                once (cached in retimed-layers.json beside the folder), rewrites the linked chunks, and pushes with the
#                SDK's registry client (no docker load, no docker push). With zstd in EXTRA the SDK keeps BuildKit's
#                rewrite, so this is sdk-buildkit;
#   sdk-unlinked the same without the linked Dockerfile (every chunk a plain COPY): what linking adds;
#   sdk-buildkit ImageTimestampRewrite=BuildKit (the default before linking): the plain Dockerfile, the layout folder
#                written with rewrite-timestamp=true (BuildKit re-times every added layer on every export), pushed by
#                `ContainerImage.Benchmarks push-layout FOLDER REF`;
#   sdk-engine   the same build as an OCI archive streamed into `docker load`, then `docker push`
#                (ImagePushThroughEngine=true; the SDK's default before the layout folder).
# EXTRA is appended to the output (e.g. ",compression=zstd,force-compression=true").
set -euo pipefail
name=$1 context=$2 dockerfile=$3 mode=$4 extra=$5
shift 5
trees=${CIMG_BENCH_TREES:-/tmp/cimg-perf}
registry=${CIMG_BENCH_REGISTRY:-127.0.0.1:5000}
ref="$registry/cimg-perf/$name:bench"
bench=${CIMG_BENCH_COMMAND:-dotnet bench/ContainerImage.Benchmarks/bin/Release/net10.0/ContainerImage.Benchmarks.dll}
layout=$trees/$name.oci-layout
# The first build of a project starts without a layout folder.
rm -rf "$layout" "$trees/retimed-layers.json"
build() {
  local start end log=$trees/$name.$1.log
  start=$(date +%s.%N)
  case $mode in
    direct)
      docker buildx build --progress=plain --provenance=false -f "$dockerfile" \
        --output "type=image,name=$ref,push=true$extra" "$context" > "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; } ;;
    sdk|sdk-unlinked|sdk-buildkit)
      # sdk-buildkit (and sdk with zstd): BuildKit re-times every added layer; otherwise plain tars, re-timed by the SDK.
      local output="type=oci,tar=false,dest=$layout,rewrite-timestamp=true,name=$ref$extra" file=$dockerfile
      local verb=(push-layout "$layout" "$ref")
      if [ "$mode" != sdk-buildkit ] && [[ "$extra" != *zstd* ]]; then
        output="type=oci,tar=false,dest=$layout,name=$ref,compression=uncompressed" verb=(retime-push "$layout" "$ref")
        local linked=$(dirname "$dockerfile")/Dockerfile.linked
        if [ "$mode" = sdk ] && [ -f "$linked" ]; then file=$linked verb+=("$(dirname "$dockerfile")/linked-chunks.json"); fi
      fi
      rm -f "$layout/index.json"
      SOURCE_DATE_EPOCH=0 docker buildx build --progress=plain --provenance=false --build-arg SOURCE_DATE_EPOCH=0 \
        -f "$file" --output "$output" "$context" > "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
      $bench "${verb[@]}" >> "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; } ;;
    sdk-engine)
      # pipefail: a failed build or load fails the benchmark.
      SOURCE_DATE_EPOCH=0 docker buildx build --progress=plain --provenance=false --build-arg SOURCE_DATE_EPOCH=0 \
        -f "$dockerfile" --output "type=oci,dest=-,rewrite-timestamp=true,name=$ref$extra" "$context" 2> "$log" \
        | docker load >> "$log.load" 2>&1 || { tail -20 "$log" "$log.load" >&2; exit 1; }
      docker push "$ref" >> "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; } ;;
    *) echo "bench-rebuild.sh: unknown MODE $mode" >&2; exit 2 ;;
  esac
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
cold=$(build cold)
cached=$(build cached)
line="$name cold=$cold cached=$cached"
backup=$trees/$name.orig
for labelled in "$@"; do
  label=${labelled%%=*} changed=${labelled#*=}
  # Bytes overwritten in place (same size), as an edit would, with text unique to this run, variant and file so
  # no other variant's build of the same edit is a cache hit; the original is restored after each build (and on exit).
  cp -p "$changed" "$backup"
  trap 'cp -p "$backup" "$changed"; rm -f "$backup"' EXIT
  printf '%s' "$name-$label-$(date +%s%N)" | dd of="$changed" bs=1 seek=100 conv=notrunc status=none
  touch "$changed"
  seconds=$(build "changed-$label")
  cp -p "$backup" "$changed"; rm -f "$backup"; trap - EXIT
  line="$line $label=$seconds"
done
echo "$line"
