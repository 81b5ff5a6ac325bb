#!/usr/bin/env bash
# eng/run-sample.sh — the README's main job: pack the SDK, publish samples/hello with
# `dotnet publish -t:PublishContainerImage`, then pull and run the image it published.
# Where no engine is configured (DOCKER_HOST unset and no reachable engine), the embedded default is
# used: eng/engine.sh starts a local engine, buildx and a registry on 127.0.0.1:5000, and is stopped
# again at the end (pass --keep-engine to leave it running).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KEEP=0; [ "${1:-}" = "--keep-engine" ] && KEEP=1
STATE=${CIMG_ENGINE_STATE:-/tmp/cimg-engine}
REGISTRY=${ImageRegistry:-}
started=0
if [ -z "${DOCKER_HOST:-}" ] && ! docker version >/dev/null 2>&1; then
  was_running=0
  [ -s "$STATE/dockerd.pid" ] && kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null && was_running=1
  bash eng/engine.sh up
  [ "$was_running" = 0 ] && started=1
  # shellcheck disable=SC1091
  . "$STATE/env"
  REGISTRY=${REGISTRY:-127.0.0.1:5000}
fi
stop() { if [ "$started" = 1 ] && [ "$KEEP" = 0 ]; then bash "$ROOT/eng/engine.sh" down; fi; }
trap stop EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The sample restores the SDK package from artifacts/packages; a private package folder keeps a
# re-packed 0.1.0 from being served stale out of the user's NuGet cache.
export NUGET_PACKAGES=$ROOT/artifacts/sample-nuget-packages
rm -rf "$NUGET_PACKAGES/containerimage.sdk"
dotnet pack src/ContainerImage.Sdk -c Release -o artifacts/packages -v:q -nologo
dotnet publish samples/hello -t:PublishContainerImage ${REGISTRY:+-p:ImageRegistry=$REGISTRY} -nologo
uri=$(cat samples/hello/obj/containerimage/hello/uri.txt)
echo "published: $uri"
# buildx pushed it to the registry: pull it back and run it, as a consumer of the image would.
docker pull -q "$uri" >/dev/null
docker run --rm --pull=never "$uri" sh -c 'cat /srv/app/hello.txt; echo "GREETING=$GREETING"; echo "index: $(cat /srv/index.txt)"' 
