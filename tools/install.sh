#!/usr/bin/env bash
# Installs whatever is missing for slo-harness, idempotently: Debian packages, the Go-built
# tools (cached in ~/.cache/slo-harness), the target's Python venv, npm packages, and the build.
# Prints each tool and its version. Usage: bash tools/install.sh [--quiet]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$ROOT/tools/versions.env"
# shellcheck source=lib/apt-install.sh
source "$ROOT/tools/lib/apt-install.sh"
started=$SECONDS

fail() { echo "install: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "runtimes"
command -v node >/dev/null || fail "Node.js >= $NODE_MIN_MAJOR is required (not found on PATH)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= NODE_MIN_MAJOR )) || fail "Node.js >= $NODE_MIN_MAJOR is required, found $(node --version)"
command -v go >/dev/null || [[ -x /usr/local/go/bin/go ]] || fail "Go is required to build the tools from the Go module proxy (not found)"
command -v python3 >/dev/null || fail "python3 >= $PYTHON_MIN is required (not found)"
go_bin="$(command -v go || echo /usr/local/go/bin/go)"
echo "node $(node --version), $(python3 --version), $("$go_bin" version | awk '{print $3}')"

step "Debian packages"
declare -A debs=(
  [postgresql]="$DEB_POSTGRESQL"
  [prometheus]="$DEB_PROMETHEUS"
  [prometheus-alertmanager]="$DEB_PROMETHEUS_ALERTMANAGER"
  [prometheus-pushgateway]="$DEB_PROMETHEUS_PUSHGATEWAY"
  [chromium]="$DEB_CHROMIUM"
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

step "Go-built tools (Go module proxy)"
bash "$ROOT/tools/install-go-tools.sh"
# The example target builds itself at run time; fetching its modules here (~160 MB, once) keeps the proxy off that path.
GOTOOLCHAIN=local "$go_bin" -C "$ROOT/targets/checkout-api" mod download || fail "fetching targets/checkout-api's Go modules from the Go module proxy failed"

step "Docker engine (for the testcontainers provider)"
bash "$ROOT/tools/install-docker.sh"

step "Kubernetes node packages (containerd, runc, CNI plugins, iptables, conntrack)"
bash "$ROOT/tools/install-node.sh"

step "genomics-api venv (PyPI)"
bash "$ROOT/tools/install-python-target.sh"

step "npm packages and build"
cd "$ROOT"
lock_hash="$(sha256sum package-lock.json | cut -c1-16)"
if [[ ! -f node_modules/.slo-harness-lock && -d node_modules ]] || [[ "$(cat node_modules/.slo-harness-lock 2>/dev/null)" != "$lock_hash" ]]; then
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed: the npm registry or package-lock.json"
  echo "$lock_hash" > node_modules/.slo-harness-lock
else
  echo "node_modules up to date"
fi
npm run --silent build || fail "TypeScript build failed"
echo "slo-harness built into dist/"

echo "== ready in $((SECONDS - started))s"
