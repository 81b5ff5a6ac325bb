#!/usr/bin/env bash
# eng/bench.sh [--short] [--skip-bdn] [--skip-engine] — every performance figure in one run.
#   1. generates the benchmark trees once (eng/bench-tree.py: tree200 = 200 files / 10 MiB,
#      tree20k = 20,000 files / 1 GiB, under $CIMG_BENCH_TREES, default /tmp/cimg-perf);
#   2. BenchmarkDotNet (in-process): FileHasher, ContextPlanner.Plan, ImageIdentifier.Compute, RegistryClient.CheckAsync,
#      each with its baseline; plus the hashing profile (read vs hash, CPU time);
#   3. with the engine: naive `COPY . ` buildx build vs the SDK's layout (chunked SourceFolder), gzip and zstd,
#      pushed by buildx itself and the way the SDK pushes (eng/bench-rebuild.sh): cold, cached, and one changed file
#      in the first, middle and last chunk; the context bytes buildx received vs the declared input bytes;
#   4. no-op publish vs the `dotnet msbuild -t:Nothing` floor, when `dotnet publish -t:PublishContainerImage` works.
# --rebuild-only: only part 3 (the engine rebuilds).
# --short: the CI smoke (BenchmarkDotNet on the 200-file tree with 2 iterations, engine part on tree200 only).
# Writes artifacts/bench/results.md (with the machine description and load averages) and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
short=0 bdn=1 engine=1 noop_part=1
for arg in "$@"; do
  case $arg in
    --short) short=1 ;;
    --skip-bdn) bdn=0 ;;
    --skip-engine) engine=0 ;;
    --rebuild-only) bdn=0 noop_part=0 ;;
    *) echo "usage: eng/bench.sh [--short] [--skip-bdn] [--skip-engine] [--rebuild-only]" >&2; exit 2 ;;
  esac
done
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/cimg-engine/docker.sock}
export CIMG_BENCH_TREES=${CIMG_BENCH_TREES:-/tmp/cimg-perf}
REGISTRY=${CIMG_BENCH_REGISTRY:-127.0.0.1:5000}
OUT=$ROOT/artifacts/bench
mkdir -p "$OUT" "$CIMG_BENCH_TREES"
RESULTS=$OUT/results.md
load() { cut -d' ' -f1-3 /proc/loadavg; }

python3 eng/bench-tree.py "$CIMG_BENCH_TREES/tree200" 200 $((200 * 52428))
[ "$short" = 1 ] || python3 eng/bench-tree.py "$CIMG_BENCH_TREES/tree20k" 20000 $((1 << 30))
dotnet build -c Release bench/ContainerImage.Benchmarks -v q -nologo > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
BENCH="dotnet $ROOT/bench/ContainerImage.Benchmarks/bin/Release/net10.0/ContainerImage.Benchmarks.dll"

{
  echo "# Benchmark results ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD))"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB memory, $(uname -sr)."
  echo "Load average at start: $(load). Mode: $([ "$short" = 1 ] && echo short || echo full)."
  echo
} > "$RESULTS"

if [ "$bdn" = 1 ]; then
  [ "$short" = 1 ] && export CIMG_BENCH_SHORT=1
  (cd "$OUT" && $BENCH bdn "$OUT/bdn.md" > "$OUT/bdn.log" 2>&1) || { tail -40 "$OUT/bdn.log"; exit 1; }
  { echo "## BenchmarkDotNet"; echo; cat "$OUT/bdn.md"; echo; } >> "$RESULTS"
  { echo "## Hashing profile (tree$([ "$short" = 1 ] && echo 200 || echo 20k), best of 3)"; echo
    $BENCH hash-probe "tree$([ "$short" = 1 ] && echo 200 || echo 20k)" 3; echo; } >> "$RESULTS"
fi

if [ "$engine" = 1 ]; then
  tree=tree20k; [ "$short" = 1 ] && tree=tree200
  src=$CIMG_BENCH_TREES/$tree
  naive=$CIMG_BENCH_TREES/naive.Dockerfile
  printf 'FROM %s/local/busybox:static\nWORKDIR /app\nCOPY ["./", "./"]\n' "$REGISTRY" > "$naive"
  ours=$CIMG_BENCH_TREES/ours-context
  declared=$($BENCH context "$tree" "$ours" $((128 << 20)))
  # Which chunk holds the changed file decides how many chunks are re-created (each COPY layer sits on the one
  # before), so one edit is measured in three places: the first file of the first chunk, the middle of the tree
  # in path order (the figure of runs 1-5) and the last file of the last chunk (files the ignore rules drop are
  # not in the context, so first and last come from it; a hard link there is the tree's own file).
  middle=$(cd "$src" && find . -type f -name '*.py' | LC_ALL=C sort | awk '{a[NR]=$0} END{print a[int(NR/2)]}')
  middle=${middle#./}
  in_context=$(cd "$ours/layers/1" && find . -type f -name '*.py' | sed -e 's|^\./||' -e 's|^part[0-9]*/||' | LC_ALL=C sort)
  first=$(echo "$in_context" | head -1) last=$(echo "$in_context" | tail -1)
  {
    echo "## One changed file ($tree); seconds, push to $REGISTRY"
    echo
    echo "Changed: first = $first, middle = $middle, last = $last (path order). Push: \`direct\` = buildx pushes"
    echo "(\`type=image,push=true\`, what a plain \`docker buildx build --push\` does; file times not reproducible);"
    echo "\`sdk\` = the SDK's default reproducible push: the chunks after the first are \`COPY --link\` (Dockerfile.linked), buildx"
    echo "writes an OCI layout folder kept between builds, uncompressed and without \`rewrite-timestamp\`, and the SDK re-times,"
    echo "rewrites (linked chunks) and gzips each new layer once, then pushes with its registry client; with zstd the SDK keeps"
    echo "BuildKit's rewrite (= sdk-buildkit); \`sdk-unlinked\` = the same without linked chunks; \`sdk-buildkit\` ="
    echo "ImageTimestampRewrite=BuildKit (the default before this run: the layout folder with \`rewrite-timestamp=true\`)."
    echo "The naive layout is one layer, so where the file sits does not matter: only the middle is measured."
    echo
    echo "| Layout | Push | Compression | Cold | Fully cached | Changed first | Changed middle | Changed last | Mean of the three | Middle / naive gzip | Mean / naive gzip | Load average after |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  } >> "$RESULTS"
  base=""
  value() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
  for variant in "naive direct gzip" "ours direct gzip" "ours sdk gzip" "ours sdk-unlinked gzip" "ours sdk-buildkit gzip" "naive direct zstd" "ours direct zstd" "ours sdk zstd"; do
    set -- $variant
    layout=$1 push=$2 compression=$3
    extra=""; [ "$compression" = zstd ] && extra=",compression=zstd,force-compression=true"
    if [ "$layout" = naive ]; then ctx=$src file=$naive; else ctx=$ours file=$ours/Dockerfile; fi
    files=("middle=$src/$middle")
    [ "$layout" = ours ] && [ "$push" != sdk-engine ] && files=("first=$src/$first" "middle=$src/$middle" "last=$src/$last")
    line=$(CIMG_BENCH_COMMAND="$BENCH" bash eng/bench-rebuild.sh "$layout-$push-$compression-$tree" "$ctx" "$file" "$push" "$extra" "${files[@]}")
    cold=$(value "$line" cold) cached=$(value "$line" cached)
    f=$(value "$line" first) m=$(value "$line" middle) l=$(value "$line" last)
    [ -z "$base" ] && base=$m
    if [ -n "$f" ]; then
      mean=$(echo "($f + $m + $l) / 3" | bc -l)
      cells=$(printf '%.2f | %.2f | %.2f | %.2f | %.2fx | %.2fx' "$f" "$m" "$l" "$mean" "$(echo "$m / $base" | bc -l)" "$(echo "$mean / $base" | bc -l)")
    else
      cells=$(printf -- '- | %.2f | - | %.2f | %.2fx | %.2fx' "$m" "$m" "$(echo "$m / $base" | bc -l)" "$(echo "$m / $base" | bc -l)")
    fi
    printf '| %s | %s | %s | %.2f | %.2f | %s | %s |\n' "$layout" "$push" "$compression" "$cold" "$cached" "$cells" "$(load)" >> "$RESULTS"
    if [ "$layout $push $compression" = "ours direct gzip" ]; then
      sent=$(grep -o 'transferring context: [0-9.]*[kMG]*B' "$CIMG_BENCH_TREES/$layout-$push-$compression-$tree.cold.log" | tail -1 | awk '{print $3}')
      ctx_line="Context: declared inputs after ignores ${declared}; buildx reported receiving ${sent} for the cold build of the SDK layout (its own units, 10^n bytes)."
    fi
  done
  { echo; echo "$ctx_line"; echo; } >> "$RESULTS"
  # Leave nothing big in the registry: delete the benchmark manifests (the registry collects the blobs).
  for variant in naive-direct-gzip ours-direct-gzip ours-sdk-gzip ours-sdk-unlinked-gzip ours-sdk-buildkit-gzip naive-direct-zstd ours-direct-zstd ours-sdk-zstd; do
    repo=cimg-perf/$variant-$tree
    digest=$(curl -sI -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$REGISTRY/v2/$repo/manifests/bench" | tr -d '\r' | awk 'tolower($1)=="docker-content-digest:"{print $2}')
    [ -n "$digest" ] && curl -s -o /dev/null -X DELETE "http://$REGISTRY/v2/$repo/manifests/$digest" || true
    # The sdk-engine mode also leaves the image in the engine (docker load): remove it there too.
    docker image rm -f "$REGISTRY/$repo:bench" > /dev/null 2>&1 || true
    # The sdk mode's layout folder holds a compressed copy of the image.
    rm -rf "$CIMG_BENCH_TREES/$variant-$tree.oci-layout"
  done
  rm -f "$CIMG_BENCH_TREES/retimed-layers.json"
fi

# No-op publish vs the MSBuild floor: only once the MSBuild tasks and SDK are in this checkout.
noop=$CIMG_BENCH_TREES/noop
if [ "$noop_part" = 0 ]; then
  :
elif [ -f src/ContainerImage.Sdk/Sdk/Sdk.targets ] && grep -rqs PublishContainerImage src/ContainerImage.Sdk; then
  bash eng/bench-noop.sh "$noop" "$short" >> "$RESULTS" || echo "No-op publish: the measurement failed (see $OUT/noop.log)." >> "$RESULTS"
else
  echo "No-op publish: not measured (the MSBuild tasks are not in this checkout yet; eng/bench-noop.sh runs it once they are)." >> "$RESULTS"
fi
echo "Load average at end: $(load)." >> "$RESULTS"
cat "$RESULTS"
