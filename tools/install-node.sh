#!/usr/bin/env bash
# Installs, idempotently, the Debian packages a real Kubernetes node needs (test/kube/real-node.ts):
# containerd and runc (the node's own containerd instance runs pods), the CNI plugins (bridge,
# host-local, portmap, firewall, loopback), and iptables and conntrack for kube-proxy. The node's
# Go-built parts (kubelet, kube-proxy, kubectl) come from tools/install-go-tools.sh.
# Usage: bash tools/install-node.sh        (as root, or with the packages installed)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$ROOT/tools/versions.env"
# shellcheck source=lib/apt-install.sh
source "$ROOT/tools/lib/apt-install.sh"

fail() { echo "install-node: $*" >&2; exit 1; }

declare -A debs=(
  [containerd]="$DEB_CONTAINERD"
  [runc]="$DEB_RUNC"
  [containernetworking-plugins]="$DEB_CNI_PLUGINS"
  [iptables]="$DEB_IPTABLES"
  [conntrack]="$DEB_CONNTRACK"
)
missing=()
for pkg in "${!debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  [[ $(id -u) -eq 0 ]] || fail "missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}"
  echo "installing from Debian's packages: ${missing[*]}"
  apt_log="$(mktemp)"
  pinned=(); for pkg in "${missing[@]}"; do pinned+=("$pkg=${debs[$pkg]}"); done
  if ! apt_install "$apt_log" "${pinned[@]}"; then
    echo "pinned versions not available from Debian's packages; taking the current ones" | tee -a "$apt_log"
    apt_install "$apt_log" "${missing[@]}" \
      || { tail -n 20 "$apt_log" >&2; fail "apt-get could not install ${missing[*]} from Debian's packages (log: $apt_log)"; }
  fi
fi
for pkg in "${!debs[@]}"; do
  have="$(dpkg-query -W -f='${Version}' "$pkg")"
  [[ "$have" == "${debs[$pkg]}" ]] && echo "$pkg $have" || echo "$pkg $have (pinned ${debs[$pkg]})"
done
# Debian puts the CNI plugins in /usr/lib/cni; the node's containerd config names that directory.
[[ -x /usr/lib/cni/bridge ]] || fail "containernetworking-plugins is installed but /usr/lib/cni/bridge is missing"
