#!/usr/bin/env bash
# eng/bench.sh [--short] [--skip-bdn] [--skip-engine] — every performance figure in one run.
#   1. generates the benchmark trees once (eng/bench-tree.py: tree200 = 200 files / 10 MiB,
#      tree20k = 20,000 files / 1 GiB, under $CIMG_BENCH_TREES, default /tmp/cimg-perf);
#   2. BenchmarkDotNet (in-process): FileHasher, ContextPlanner.Plan, ImageIdentifier.Compute, RegistryClient.CheckAsync,
#      each with its baseline; plus the hashing profile (read vs hash, CPU time);
#   3. with the engine: naive `COPY . ` buildx build vs the SDK's layout (chunked SourceFolder), gzip and zstd:
#      cold, cached, and one changed file; the context bytes buildx received vs the declared input bytes;
#   4. no-op publish vs the `dotnet msbuild -t:Nothing` floor, when `dotnet publish -t:PublishContainerImage` works.
# --short: the CI smoke (BenchmarkDotNet on the 200-file tree with 2 iterations, engine part on tree200 only).
# Writes artifacts/bench/results.md (with the machine description and load averages) and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
short=0 bdn=1 engine=1
for arg in "$@"; do
  case $arg in
    --short) short=1 ;;
    --skip-bdn) bdn=0 ;;
    --skip-engine) engine=0 ;;
    *) echo "usage: eng/bench.sh [--short] [--skip-bdn] [--skip-engine]" >&2; exit 2 ;;
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
  # A file in the middle of the tree (path order), as a typical edit: neither the first chunk nor the last.
  changed=$(cd "$src" && find . -type f -name '*.py' | LC_ALL=C sort | awk '{a[NR]=$0} END{print a[int(NR/2)]}')
  naive=$CIMG_BENCH_TREES/naive.Dockerfile
  printf 'FROM %s/local/busybox:static\nWORKDIR /app\nCOPY ["./", "./"]\n' "$REGISTRY" > "$naive"
  ours=$CIMG_BENCH_TREES/ours-context
  declared=$($BENCH context "$tree" "$ours" $((128 << 20)))
  {
    echo "## One changed file ($tree, changed: ${changed#./}); seconds, push to $REGISTRY"
    echo
    echo "| Layout | Compression | Cold | Fully cached | One file changed | Ratio to naive gzip (changed) | Load average after |"
    echo "|---|---|---:|---:|---:|---:|---|"
  } >> "$RESULTS"
  base_changed=""
  for variant in "naive gzip" "ours gzip" "naive zstd" "ours zstd"; do
    set -- $variant
    extra=""; [ "$2" = zstd ] && extra=",compression=zstd,force-compression=true"
    if [ "$1" = naive ]; then ctx=$src file=$naive; else ctx=$ours file=$ours/Dockerfile; fi
    target=$src/${changed#./}; [ "$1" = ours ] && target=$(readlink -f "$src/${changed#./}")
    line=$(bash eng/bench-rebuild.sh "$1-$2-$tree" "$ctx" "$file" "$target" "$extra")
    cold=$(echo "$line" | sed 's/.*cold=\([^ ]*\).*/\1/'); cached=$(echo "$line" | sed 's/.*cached=\([^ ]*\).*/\1/'); ch=$(echo "$line" | sed 's/.*changed=\([^ ]*\).*/\1/')
    [ -z "$base_changed" ] && base_changed=$ch
    printf '| %s | %s | %.2f | %.2f | %.2f | %.2fx | %s |\n' "$1" "$2" "$cold" "$cached" "$ch" "$(echo "$ch / $base_changed" | bc -l)" "$(load)" >> "$RESULTS"
    if [ "$1" = ours ] && [ "$2" = gzip ]; then
      sent=$(grep -o 'transferring context: [0-9.]*[kMG]*B' "$CIMG_BENCH_TREES/$1-$2-$tree.cold.log" | tail -1 | awk '{print $3}')
      ctx_line="Context: declared inputs after ignores ${declared}; buildx reported receiving ${sent} for the cold build of the SDK layout (its own units, 10^n bytes)."
    fi
  done
  { echo; echo "$ctx_line"; echo; } >> "$RESULTS"
  # Leave nothing big in the registry: delete the benchmark manifests (the registry collects the blobs).
  for variant in naive-gzip ours-gzip naive-zstd ours-zstd; do
    repo=cimg-perf/$variant-$tree
    digest=$(curl -sI -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$REGISTRY/v2/$repo/manifests/bench" | tr -d '\r' | awk 'tolower($1)=="docker-content-digest:"{print $2}')
    [ -n "$digest" ] && curl -s -o /dev/null -X DELETE "http://$REGISTRY/v2/$repo/manifests/$digest" || true
  done
fi

# No-op publish vs the MSBuild floor: only once the MSBuild tasks and SDK are in this checkout.
noop=$CIMG_BENCH_TREES/noop
if [ -f src/ContainerImage.Sdk/Sdk/Sdk.targets ] && grep -rqs PublishContainerImage src/ContainerImage.Sdk; then
  bash eng/bench-noop.sh "$noop" "$short" >> "$RESULTS" || echo "No-op publish: the measurement failed (see $OUT/noop.log)." >> "$RESULTS"
else
  echo "No-op publish: not measured (the MSBuild tasks are not in this checkout yet; eng/bench-noop.sh runs it once they are)." >> "$RESULTS"
fi
echo "Load average at end: $(load)." >> "$RESULTS"
cat "$RESULTS"
