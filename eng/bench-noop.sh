#!/usr/bin/env bash
# eng/bench-noop.sh WORKDIR SHORT — no-op publish vs the MSBuild floor (called by eng/bench.sh once the SDK
# and its tasks are in the checkout). Packs the SDK (Release: ReadyToRun tasks) with a unique version into a
# private feed, publishes an images-only project over tree200 (and tree20k unless SHORT=1) once, then times,
# best and median of 5, wall and CPU (user+sys, which other load on a shared machine barely changes):
#   floor:  dotnet msbuild -t:Nothing on a project with an empty target;
#   what any SDK-style project pays before our code runs: the same with an empty package SDK, and with
#           Microsoft.NET.Sdk; the evaluation of the image project alone (-getProperty);
#   the .NET SDK's own PublishContainer of a console app with nothing changed (the issue's other baseline);
#   no-op:  dotnet publish -t:PublishContainerImage with nothing changed (also without the early registry
#           check, and with --no-restore), and
#           dotnet msbuild -t:PublishContainerImage (no restore, no CLI publish command: our targets alone).
# Prints a markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$1 short=${2:-0}
registry=${CIMG_BENCH_REGISTRY:-127.0.0.1:5000}
trees=${CIMG_BENCH_TREES:-/tmp/cimg-perf}
[ -x /usr/bin/time ] || { echo "eng/bench-noop.sh needs /usr/bin/time (GNU time) for CPU times: apt-get install time" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work/feed" "$work/packages"
version=0.1.0-bench.$(date +%s)
log=$work/noop.log
dotnet pack src/ContainerImage.Sdk -c Release -o "$work/feed" -p:Version="$version" > "$log" 2>&1
export NUGET_PACKAGES=$work/packages
cp global.json "$work/global.json"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="bench" value="$work/feed" /></packageSources></configuration>
XML
mkdir -p "$work/floor" "$work/nullsdk/Sdk" "$work/nullsdk-project" "$work/netsdk" "$work/netapp"
echo '<Project><Target Name="Nothing" /></Project>' > "$work/floor/floor.proj"
# What evaluating an SDK-style project costs before any of our code runs: an SDK package with nothing in it
# (the NuGet SDK resolver and the .NET SDK's workload resolver), and a Microsoft.NET.Sdk project.
echo '<Project />' > "$work/nullsdk/Sdk/Sdk.props"; echo '<Project />' > "$work/nullsdk/Sdk/Sdk.targets"
python3 - "$work" <<'PY'
import sys, zipfile
work = sys.argv[1]
nuspec = ('<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata>'
          '<id>Null.Sdk</id><version>1.0.0</version><authors>bench</authors><description>An empty MSBuild SDK.</description>'
          '<packageTypes><packageType name="MSBuildSdk" /></packageTypes></metadata></package>')
with zipfile.ZipFile(f"{work}/feed/null.sdk.1.0.0.nupkg", "w") as z:
    z.writestr("Null.Sdk.nuspec", nuspec)
    for name in ("Sdk.props", "Sdk.targets"):
        z.write(f"{work}/nullsdk/Sdk/{name}", f"Sdk/{name}")
PY
echo '<Project Sdk="Null.Sdk/1.0.0"><Target Name="Nothing" /></Project>' > "$work/nullsdk-project/p.proj"
echo '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><Target Name="Nothing" /></Project>' > "$work/netsdk/p.csproj"
# The issue's other baseline: the .NET SDK's own PublishContainer of a console app with nothing changed.
cat > "$work/netapp/app.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>
    <ContainerBaseImage>$registry/local/debian:bookworm</ContainerBaseImage>
    <ContainerRegistry>$registry</ContainerRegistry><ContainerRepository>cimg-perf/netsdk-noop</ContainerRepository>
  </PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine("hi");' > "$work/netapp/Program.cs"

# "best median cpu_best cpu_median" of 5 timed runs of "$@" (after one untimed run that warms the MSBuild nodes)
time5() {
  "$@" >> "$log" 2>&1
  local times=$work/times.txt
  : > "$times"
  for _ in 1 2 3 4 5; do /usr/bin/time -f "%e %U %S" -a -o "$times" "$@" >> "$log" 2>&1; done
  python3 -c '
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip() and l[0].isdigit()]
wall = sorted(r[0] for r in rows); cpu = sorted(r[1] + r[2] for r in rows)
print("%.2f %.2f %.2f %.2f" % (wall[0], wall[len(wall) // 2], cpu[0], cpu[len(cpu) // 2]))' "$times"
}

floor=$(cd "$work/floor" && time5 dotnet msbuild -nologo -t:Nothing floor.proj)
read -r floor_best floor_median floor_cpu floor_cpu_median <<< "$floor"
echo "## No-op publish vs the MSBuild floor (SDK $version)"
echo
echo "Seconds, 5 runs each after a warm-up. CPU = user + sys of the whole command (best and median)."
echo
echo "| Project | Command | Best | Median | Ratio to floor (median) | CPU best | CPU median | CPU ratio (median) | Load average |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
echo "| trivial | dotnet msbuild -t:Nothing | $floor_best | $floor_median | 1.00x | $floor_cpu | $floor_cpu_median | 1.00x | $(cut -d' ' -f1-3 /proc/loadavg) |"
# "PROJECT | COMMAND" rows: run COMMAND in DIR, print the table row.
row() {
  local label=$1 dir=$2; shift 2
  local result best median cpu cpu_median
  result=$(cd "$dir" && time5 "$@")
  read -r best median cpu cpu_median <<< "$result"
  printf '| %s | %s | %s | %s | %.2fx | %s | %s | %.2fx | %s |\n' "$label" "$*" "$best" "$median" "$(echo "$median / $floor_median" | bc -l)" \
    "$cpu" "$cpu_median" "$(echo "$cpu_median / $floor_cpu_median" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
row "empty package SDK (evaluation only)" "$work/nullsdk-project" dotnet msbuild -nologo -t:Nothing p.proj
row "Microsoft.NET.Sdk (evaluation only)" "$work/netsdk" dotnet msbuild -nologo -t:Nothing p.csproj
# Its own NuGet feed and packages folder: the console app restores the framework's packs from the machine's sources.
if (cd "$work/netapp" && env -u NUGET_PACKAGES DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish -nologo -t:PublishContainer >> "$log" 2>&1); then
  row "console app, .NET SDK containers" "$work/netapp" env -u NUGET_PACKAGES DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish -nologo -t:PublishContainer
else
  echo "| console app, .NET SDK containers | dotnet publish -t:PublishContainer | failed (see $log) | | | | | | |"
fi
list="tree200"; [ "$short" = 1 ] || list="tree200 tree20k"
for tree in $list; do
  project=$work/$tree
  mkdir -p "$project"
  cat > "$project/Image.csproj" <<XML
<Project Sdk="ContainerImage.Sdk/$version">
  <PropertyGroup>
    <ImageBaseUri>$registry/local/busybox:static</ImageBaseUri>
    <ImageRegistry>$registry</ImageRegistry>
    <ImageName>cimg-perf/noop-$tree</ImageName>
  </PropertyGroup>
  <ItemGroup>
    <ImageLayer Include="$trees/$tree" Kind="SourceFolder" Destination="/app" />
  </ItemGroup>
</Project>
XML
  (cd "$project" && dotnet publish -nologo -t:PublishContainerImage >> "$log" 2>&1)  # the real publish
  row "$tree (evaluation only: its Restore target is empty)" "$project" dotnet msbuild -nologo -t:Restore
  for command in "dotnet publish -t:PublishContainerImage" "dotnet publish -t:PublishContainerImage -p:ImageEarlyRegistryCheck=false" \
      "dotnet publish --no-restore -t:PublishContainerImage" "dotnet msbuild -t:PublishContainerImage"; do
    # shellcheck disable=SC2086 # the command's words
    row "$tree" "$project" $command -nologo
  done
  # Leave nothing big in the registry: delete every tag's manifest of the benchmark repository.
  for tag in $(curl -s "http://$registry/v2/cimg-perf/noop-$tree/tags/list" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin).get("tags") or []))'); do
    digest=$(curl -sI -H 'Accept: application/vnd.oci.image.index.v1+json' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$registry/v2/cimg-perf/noop-$tree/manifests/$tag" \
      | tr -d '\r' | awk 'tolower($1)=="docker-content-digest:"{print $2}')
    [ -n "$digest" ] && curl -s -o /dev/null -X DELETE "http://$registry/v2/cimg-perf/noop-$tree/manifests/$digest" || true
  done
done
echo
