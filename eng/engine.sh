#!/usr/bin/env bash
# eng/engine.sh — a real container engine for ContainerImage.Sdk's tests, CI and sample.
#
#   eng/engine.sh up     install (if missing) and start dockerd + buildx + a registry on
#                        127.0.0.1:5000, and push local base images:
#                          127.0.0.1:5000/local/debian:bookworm   (Debian minbase)
#                          127.0.0.1:5000/local/python:3.11       (Debian + python3, pip, venv:
#                                                                  stands in for python:*-slim)
#                          127.0.0.1:5000/local/busybox:static
#                        Prints nothing but progress; writes $STATE/env to source.
#   eng/engine.sh down   stop only what `up` started, by the pids it recorded.
#
# Why a script of our own: CI and every new machine start without an engine, and nothing can be
# pulled from public registries here, so base images are built from the Debian mirror that apt
# already uses. The mirror is read at run time from the apt configuration; no host is written here.
set -euo pipefail
STATE=${CIMG_ENGINE_STATE:-/tmp/cimg-engine}
SOCK=$STATE/docker.sock
REG=127.0.0.1:5000
export DEBIAN_FRONTEND=noninteractive
T0=$(date +%s)
step() { echo "[engine $(( $(date +%s) - T0 ))s] $*"; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

mirror() {
  local m
  m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$m" ] || m=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  echo "$m"
}

install_packages() {
  if command -v dockerd >/dev/null && docker buildx version >/dev/null 2>&1 \
     && command -v docker-registry >/dev/null && command -v mmdebstrap >/dev/null; then
    return 0
  fi
  local M; M=$(mirror)
  step "apt-get update"
  apt-get update -qq
  step "fetch Docker 26 + buildx .debs from trixie (temporary apt state, same mirror)"
  local TA; TA=$(mktemp -d)
  mkdir -p "$TA/lists/partial" "$TA/archives/partial" "$TA/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $M trixie main" > "$TA/sources.list"
  local TAPT=(-o Dir::Etc::SourceList="$TA/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$TA/lists" -o Dir::Cache::archives="$TA/archives" -o APT::Sandbox::User=root)
  apt-get "${TAPT[@]}" update -qq
  (cd "$TA/debs" && apt-get "${TAPT[@]}" download -qq docker-buildx docker.io docker-cli containerd)
  step "apt-get install engine, registry and base-image tools"
  apt-get install -y -qq --no-install-recommends "$TA"/debs/*.deb \
      runc tini iptables docker-registry mmdebstrap busybox-static skopeo curl apache2-utils >/dev/null
  rm -rf "$TA"
}

start_dockerd() {
  if alive "$STATE/dockerd.pid"; then step "dockerd already running"; return 0; fi
  step "start dockerd"
  mkdir -p "$STATE/docker" "$STATE/exec"
  echo '{"features": {"containerd-snapshotter": true}}' > "$STATE/daemon.json"
  nohup /usr/sbin/dockerd --config-file "$STATE/daemon.json" --iptables=false --ip6tables=false \
    --ip-masq=false --ip-forward=false -H "unix://$SOCK" --data-root "$STATE/docker" \
    --exec-root "$STATE/exec" --pidfile "$STATE/dockerd.pid" > "$STATE/dockerd.log" 2>&1 &
  for _ in $(seq 1 120); do docker -H "unix://$SOCK" version >/dev/null 2>&1 && return 0; sleep 0.25; done
  tail -20 "$STATE/dockerd.log"; return 1
}

start_registry() {
  if alive "$STATE/registry.pid"; then step "registry already running"; return 0; fi
  step "start registry on $REG"
  mkdir -p "$STATE/registry"
  cat > "$STATE/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $STATE/registry}
  delete: {enabled: true}
http:
  addr: $REG
YML
  nohup /usr/bin/docker-registry serve "$STATE/registry.yml" > "$STATE/registry.log" 2>&1 &
  echo $! > "$STATE/registry.pid"
  for _ in $(seq 1 40); do curl -sf "http://$REG/v2/" >/dev/null && return 0; sleep 0.25; done
  tail -20 "$STATE/registry.log"; return 1
}

has_image() { curl -sf -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REG/v2/$1/manifests/$2"; }

debootstrap_image() { # name tag includes
  local name=$1 tag=$2 include=$3
  if has_image "$name" "$tag"; then return 0; fi
  step "base image $REG/$name:$tag (mmdebstrap minbase bookworm${include:+ + $include})"
  local tar="$STATE/$(echo "$name-$tag" | tr '/:' '--').tar"
  mmdebstrap --quiet --variant=minbase --mode=root ${include:+--include="$include"} \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' bookworm "$tar" "$(mirror)"
  docker import -c 'CMD ["bash"]' "$tar" "$REG/$name:$tag" >/dev/null
  docker push -q "$REG/$name:$tag" >/dev/null
  rm -f "$tar"
}

busybox_image() {
  if has_image local/busybox static; then return 0; fi
  step "base image $REG/local/busybox:static"
  local BB; BB=$(mktemp -d); mkdir -p "$BB/bin"; cp /bin/busybox "$BB/bin/"
  for a in sh ls cat echo env id mkdir pwd test true find sha256sum stat wc; do ln -s busybox "$BB/bin/$a"; done
  tar -C "$BB" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$REG/local/busybox:static" >/dev/null
  docker push -q "$REG/local/busybox:static" >/dev/null
  rm -rf "$BB"
}

up() {
  mkdir -p "$STATE"
  install_packages
  start_dockerd
  export DOCKER_HOST="unix://$SOCK"
  start_registry
  busybox_image
  debootstrap_image local/debian bookworm ""
  debootstrap_image local/python 3.11 "python3,python3-pip,python3-venv,ca-certificates"
  printf 'export DOCKER_HOST=unix://%s\nexport CIMG_TEST_REGISTRY=%s\n' "$SOCK" "$REG" > "$STATE/env"
  step "ready: DOCKER_HOST=unix://$SOCK registry=$REG (source $STATE/env; stop: $0 down)"
}

down() {
  for f in "$STATE/registry.pid" "$STATE/dockerd.pid"; do
    alive "$f" || continue
    local p; p=$(cat "$f"); kill "$p" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    rm -f "$f"
  done
  awk '{print $2}' /proc/mounts | grep "^$STATE/" | sort -r | while read -r m; do umount "$m" 2>/dev/null || true; done
  ip link delete docker0 2>/dev/null || true
  echo "[engine] stopped"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
