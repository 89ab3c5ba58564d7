#!/usr/bin/env bash
# Makes a Docker engine available on this machine, idempotently, for the Testcontainers
# environment and env/images/build-local-images.ts:
#   1. installs Debian's docker.io (dockerd, containerd, runc) and debootstrap if dockerd is missing;
#   2. starts dockerd in the background if `docker info` does not answer, and waits for it.
# No container registry is needed: the images are built locally (env/images/).
# Usage: bash tools/install-docker.sh        (as root, or with the packages installed and running)
set -euo pipefail

# shellcheck source=lib/apt-install.sh
source "$(dirname "$0")/lib/apt-install.sh"

DOCKERD_LOG="${SLO_HARNESS_DOCKERD_LOG:-/var/log/slo-harness-dockerd.log}"
WAIT_SECONDS=60

fail() { echo "install-docker: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "Docker engine packages"
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if (( ${#missing[@]} )); then
  [[ $(id -u) -eq 0 ]] || fail "step 'install packages': ${missing[*]} missing; install them with: sudo apt-get install ${missing[*]}"
  echo "installing from Debian's packages: ${missing[*]}"
  apt_log="$(mktemp)"
  if ! apt_install "$apt_log" "${missing[@]}"; then
    tail -n 20 "$apt_log" >&2
    fail "step 'install packages': apt-get could not install ${missing[*]} (log: $apt_log)"
  fi
  echo "installed ${missing[*]}"
else
  echo "dockerd and debootstrap already installed"
fi
echo "dockerd: $(command -v dockerd), $(dockerd --version 2>/dev/null || echo '?')"

step "Docker daemon"
if docker info >/dev/null 2>&1; then
  echo "daemon already answering"
else
  [[ $(id -u) -eq 0 ]] || fail "step 'start dockerd': the daemon is not answering and starting it needs root"
  if pgrep -x dockerd >/dev/null 2>&1; then
    echo "dockerd is running but not answering yet; waiting"
  else
    echo "starting dockerd in the background (log: $DOCKERD_LOG)"
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    disown || true
  fi
  waited=0
  until docker info >/dev/null 2>&1; do
    if (( waited >= WAIT_SECONDS )); then
      tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
      fail "step 'start dockerd': daemon did not answer 'docker info' within ${WAIT_SECONDS}s (log: $DOCKERD_LOG)"
    fi
    sleep 1; waited=$((waited + 1))
  done
  echo "daemon answering after ${waited}s"
fi
echo "engine: $(docker version --format 'server {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}')"
