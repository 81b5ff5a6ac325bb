#!/usr/bin/env bash
# eng/engine.sh — a real container engine for ContainerImage.Sdk's tests, CI and sample.
#
#   eng/engine.sh up     install (if missing) and start dockerd + buildx + a registry on
#                        127.0.0.1:5000, and push local base images:
#                          127.0.0.1:5000/local/debian:bookworm   (Debian minbase)
#                          127.0.0.1:5000/local/python:3.11       (Debian + python3, pip, venv:
#                                                                  stands in for python:*-slim)
#                          127.0.0.1:5000/local/busybox:static
#                        and, for multi-arch builds, arm64 emulation (qemu-user-static + binfmt_misc)
#                        and busybox per platform, joined into one index:
#                          127.0.0.1:5000/local/busybox:static-amd64, :static-arm64
#                          127.0.0.1:5000/local/busybox:multiarch  (linux/amd64 + linux/arm64)
#                        Each step is skipped when already done. Without binfmt_misc (some sandboxes
#                        cannot mount it) `up` still succeeds and says so; arm64 RUN steps then fail.
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

# Every manifest type: images pushed from the containerd store are OCI manifests or indexes, and the
# registry answers 404 to a request that does not accept the stored type (then nothing was ever skipped).
MANIFEST_TYPES='application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json'
has_image() { curl -sf -o /dev/null -H "Accept: $MANIFEST_TYPES" "http://$REG/v2/$1/manifests/$2"; }

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

# --- multi-arch --------------------------------------------------------------------------------
# Why emulation: this machine and the CI runners are amd64. BuildKit runs an arm64 RUN step's
# binaries as they are; the kernel hands them to qemu through binfmt_misc, so registering qemu
# there is all a builder needs. Checked in /proc, not with `buildx ls` (which lists arm64 anyway).
BINFMT=/proc/sys/fs/binfmt_misc
QEMU_ARM64=$BINFMT/qemu-aarch64
QEMU_PACKAGES=(qemu-user-static binfmt-support)

arm64_emulation_enabled() { [ -r "$QEMU_ARM64" ] && grep -qx enabled "$QEMU_ARM64"; }

# Registers qemu-aarch64 from the package's own description when update-binfmts did not. Flags
# follow that description: F (open the interpreter now, so it works inside containers' root
# filesystems) and P (keep argv[0]; Debian's aarch64-binfmt-P wrapper expects it).
register_arm64_by_hand() {
  local spec=/usr/share/binfmts/qemu-aarch64 interpreter magic mask flags=""
  [ -r "$spec" ] || return 0
  interpreter=$(awk '$1=="interpreter"{print $2}' "$spec")
  magic=$(awk '$1=="magic"{print $2}' "$spec")
  mask=$(awk '$1=="mask"{print $2}' "$spec")
  grep -qx 'fix_binary yes' "$spec" && flags+=F
  grep -qx 'preserve yes' "$spec" && flags+=P
  echo ":qemu-aarch64:M:0:$magic:$mask:$interpreter:$flags" > "$BINFMT/register" 2>/dev/null || true
}

arm64_emulation() {
  if [ "$(dpkg --print-architecture)" = arm64 ]; then step "arm64 is native here"; return 0; fi
  if arm64_emulation_enabled; then step "arm64 emulation already registered"; return 0; fi
  if [ ! -r /usr/share/binfmts/qemu-aarch64 ] || ! command -v update-binfmts >/dev/null; then
    step "apt-get install ${QEMU_PACKAGES[*]} (arm64 emulation)"
    # Lists may be missing on a machine whose engine packages were already there: update once then.
    apt-get install -y -qq --no-install-recommends "${QEMU_PACKAGES[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${QEMU_PACKAGES[@]}" >/dev/null; }
  fi
  if [ ! -e "$BINFMT/register" ] && ! mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null; then
    step "NO ARM64 EMULATION: binfmt_misc cannot be mounted on $BINFMT here; linux/arm64 RUN steps (and the MultiArch tests) will fail"
    return 0
  fi
  # The package registers its formats only if binfmt_misc was mounted while it was installed.
  if [ -e "$QEMU_ARM64" ]; then echo 1 > "$QEMU_ARM64" 2>/dev/null || true; fi
  arm64_emulation_enabled || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  arm64_emulation_enabled || register_arm64_by_hand
  if arm64_emulation_enabled; then
    step "arm64 emulation registered ($(grep '^flags' "$QEMU_ARM64"))"
  else
    step "NO ARM64 EMULATION: qemu-aarch64 could not be registered in $BINFMT; linux/arm64 RUN steps (and the MultiArch tests) will fail"
  fi
}

# Downloads busybox-static for each architecture named, into $1/<arch>/bin/busybox, through a
# temporary apt state (same mirror, bookworm) so the machine's own apt setup is left as it is.
fetch_busybox() { # folder arch...
  local out=$1; shift
  local TA; TA=$(mktemp -d)
  mkdir -p "$TA/lists/partial" "$TA/archives/partial" "$TA/debs"
  echo "deb [arch=$(IFS=,; echo "$*") signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) bookworm main" > "$TA/sources.list"
  local TAPT=(-o Dir::Etc::SourceList="$TA/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$TA/lists" -o Dir::Cache::archives="$TA/archives" -o APT::Sandbox::User=root
        -o Acquire::Languages=none)
  local a; for a in "$@"; do TAPT+=(-o "APT::Architectures::=$a"); done
  apt-get "${TAPT[@]}" update -qq
  for a in "$@"; do
    (cd "$TA/debs" && apt-get "${TAPT[@]}" download -qq "busybox-static:$a")
    mkdir -p "$out/$a"; dpkg-deb -x "$TA"/debs/busybox-static_*_"$a".deb "$TA/x-$a"
    mkdir -p "$out/$a/bin"; cp "$TA/x-$a/bin/busybox" "$out/$a/bin/busybox"
  done
  rm -rf "$TA"
}

# One platform's busybox image, laid out like :static, and imported with its platform so its
# config says which one it is (the existence check and `docker run --platform` read that).
busybox_platform_image() { # arch busybox-binary
  local arch=$1 binary=$2
  local BB; BB=$(mktemp -d); mkdir -p "$BB/bin"; cp "$binary" "$BB/bin/busybox"
  for a in sh ls cat echo env id mkdir pwd test true find sha256sum stat wc uname; do ln -s busybox "$BB/bin/$a"; done
  tar -C "$BB" -c . | docker import --platform "linux/$arch" -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$REG/local/busybox:static-$arch" >/dev/null
  docker push -q "$REG/local/busybox:static-$arch" >/dev/null
  rm -rf "$BB"
}

multiarch() {
  local T; T=$(date +%s)
  arm64_emulation
  local missing=() a
  for a in amd64 arm64; do has_image local/busybox "static-$a" || missing+=("$a"); done
  if [ ${#missing[@]} -gt 0 ]; then
    step "base images $REG/local/busybox:static-{${missing[*]}} (busybox-static .debs)"
    local BBS host; BBS=$(mktemp -d); host=$(dpkg --print-architecture)
    local fetch=()
    for a in "${missing[@]}"; do
      # The host's own busybox-static (installed above) saves fetching a second architecture's lists.
      if [ "$a" = "$host" ] && [ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" = "install ok installed" ]; then
        mkdir -p "$BBS/$a/bin"; cp /bin/busybox "$BBS/$a/bin/busybox"
      else
        fetch+=("$a")
      fi
    done
    [ ${#fetch[@]} -eq 0 ] || fetch_busybox "$BBS" "${fetch[@]}"
    for a in "${missing[@]}"; do busybox_platform_image "$a" "$BBS/$a/bin/busybox"; done
    rm -rf "$BBS"
  fi
  if [ ${#missing[@]} -gt 0 ] || ! has_image local/busybox multiarch; then
    step "base image $REG/local/busybox:multiarch (index of static-amd64 + static-arm64)"
    local log; log=$(docker buildx imagetools create -t "$REG/local/busybox:multiarch" \
      "$REG/local/busybox:static-amd64" "$REG/local/busybox:static-arm64" 2>&1) || { echo "$log" >&2; return 1; }
  fi
  step "multi-arch ready (+$(( $(date +%s) - T ))s)"
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
  multiarch
  printf 'export DOCKER_HOST=unix://%s\nexport CIMG_TEST_REGISTRY=%s\n' "$SOCK" "$REG" > "$STATE/env"
  step "ready: DOCKER_HOST=unix://$SOCK registry=$REG (source $STATE/env; stop: $0 down)"
}

down() {
  local stopped_dockerd=0
  for f in "$STATE/registry.pid" "$STATE/dockerd.pid"; do
    alive "$f" || continue
    [ "$f" = "$STATE/dockerd.pid" ] && stopped_dockerd=1
    local p; p=$(cat "$f"); kill "$p" 2>/dev/null || true
    for _ in $(seq 1 80); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    rm -f "$f"
  done
  # No mount left under $STATE is the usual case: grep finding nothing must not end `down` (pipefail).
  awk '{print $2}' /proc/mounts | { grep "^$STATE/" || true; } | sort -r | while read -r m; do umount "$m" 2>/dev/null || true; done
  # The bridge is the stopped daemon's; another engine's (one we did not start) keeps it.
  [ "$stopped_dockerd" = 1 ] && { ip link delete docker0 2>/dev/null || true; }
  echo "[engine] stopped"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
