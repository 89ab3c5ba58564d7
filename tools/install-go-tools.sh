#!/usr/bin/env bash
# Build the Go-based external tools from the Go module proxy into a cache
# outside the repo: $CACHE/tools/<name>-<version>/<name>, linked from $CACHE/bin.
#
#   tools/install-go-tools.sh [tool ...]
#   tools: ocb otelcol-slo jaeger victoria-logs vegeta toxiproxy-server
#          toxiproxy-cli (toxiproxy = both) actionlint kube-apiserver
#          kube-controller-manager kube-scheduler etcd kwok (kubernetes = these
#          five) kubelet kube-proxy kubectl pause (node = these four)
#          prometheus-k8s promtool-k8s (prometheus = both)
#          grafana-dashboard-check; default: all
#   SLO_HARNESS_CACHE overrides the cache dir (default ~/.cache/slo-harness).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GO_DIR="$ROOT/tools/go"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$ROOT/tools/versions.env"

CACHE="${SLO_HARNESS_CACHE:-$HOME/.cache/slo-harness}"
mkdir -p "$CACHE/tools" "$CACHE/bin" "$CACHE/build"
CACHE="$(cd "$CACHE" && pwd)"

# Static binaries; never fetch another Go toolchain (a module needing a newer
# Go must fail here, not silently download one); the repo's .git must not
# leak into build info.
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-buildvcs=false"
command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"
LDFLAGS_BASE="-s -w"

WORK=""
cleanup() { [[ -n "$WORK" ]] && rm -rf "$WORK"; return 0; }
trap cleanup EXIT

short_hash() { cat "$@" | sha256sum | cut -c1-8; }

# install <name> <version> <build-function> [args...]
# The build function gets $WORK (scratch dir), $LOG, and must leave the binary at $OUT;
# other files it leaves beside $OUT are installed beside the binary.
install() {
  local name="$1" version="$2" fn="$3"; shift 3
  local dest="$CACHE/tools/$name-$version/$name"
  if [[ -x "$dest" ]]; then
    ln -sfn "$dest" "$CACHE/bin/$name"
    echo "$name $version $dest (cached)"
    return 0
  fi
  WORK="$(mktemp -d "$CACHE/build/$name.XXXXXX")"
  LOG="$CACHE/build/$name-$version.log"
  OUT="$WORK/out/$name"
  mkdir -p "$WORK/out"
  local start=$SECONDS rc
  # Not `if ! (...)`: errexit would be ignored inside the build function.
  set +e
  (set -e; cd "$WORK"; "$fn" "$@") >"$LOG" 2>&1
  rc=$?
  set -e
  if [[ $rc -ne 0 || ! -x "$OUT" ]]; then
    echo "ERROR: building $name $version from the Go module proxy failed (full log: $LOG); last 30 lines:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
  # Move into place only when complete, so an interrupted build is never "cached".
  mkdir -p "$(dirname "$dest")"
  find "$WORK/out" -maxdepth 1 -type f ! -name "$name" -exec mv -f -t "$(dirname "$dest")" {} +
  mv -f "$OUT" "$dest.tmp" && mv -f "$dest.tmp" "$dest"
  ln -sfn "$dest" "$CACHE/bin/$name"
  rm -rf "$WORK"; WORK=""
  echo "$name $version $dest (built in $((SECONDS - start))s)"
}

# go install <pkg>@<version>: for modules without replace directives; the
# module's own go.sum pins the dependency graph.
build_go_install() {
  local pkg="$1" version="$2" ldflags="$3"
  GOBIN="$WORK/gobin" go install -trimpath -ldflags "$LDFLAGS_BASE $ldflags" "$pkg@$version"
  mv "$WORK/gobin/"* "$OUT"
}

build_ocb() {
  build_go_install go.opentelemetry.io/collector/cmd/builder "$OCB_VERSION" ""
}

# Fill ${VAR} placeholders in the manifest (ocb does not expand them).
render_manifest() {
  local out_path="$1"
  sed -e "s|\${OTELCOL_CORE_VERSION}|$OTELCOL_CORE_VERSION|g" \
      -e "s|\${OTELCOL_CORE_STABLE_VERSION}|$OTELCOL_CORE_STABLE_VERSION|g" \
      -e "s|\${OTELCOL_CONTRIB_VERSION}|$OTELCOL_CONTRIB_VERSION|g" \
      -e "s|\${OUTPUT_PATH}|$out_path|g" \
      "$GO_DIR/otelcol/builder-config.yaml"
}

build_otelcol() {
  render_manifest "$WORK/src" >"$WORK/builder-config.yaml"
  # shellcheck disable=SC2016 # the literal "${" is what is searched for
  if grep -v '^[[:space:]]*#' "$WORK/builder-config.yaml" | grep '\${'; then
    echo "unfilled placeholder in builder-config.yaml"; return 1
  fi
  # ocb runs `go mod tidy` + `go build -trimpath -ldflags="-s -w"` itself;
  # strict versioning makes it fail if MVS drifts off the pinned release.
  GOFLAGS="$GOFLAGS -mod=mod" "$CACHE/bin/ocb" --config "$WORK/builder-config.yaml" \
    --skip-strict-versioning=false
  mv "$WORK/src/otelcol-slo" "$OUT"
}

# Replace directives of a go.mod, normalised to one "old => new" per line.
replace_lines() {
  go mod edit -print "$1" | awk '
    /^replace \($/ { blk = 1; next }
    blk && /^\)/   { blk = 0; next }
    blk            { print; next }
    /^replace /    { sub(/^replace /, ""); print }' | sed -e 's|//.*||' -e 's/[[:space:]]\+/ /g' -e 's/^ //; s/ $//' | sort -u
}

build_jaeger() {
  local mod=github.com/jaegertracing/jaeger
  cp "$GO_DIR/jaeger/go.mod" "$GO_DIR/jaeger/go.sum" .
  local pinned
  pinned="$(go list -m -f '{{.Version}}' "$mod")"
  if [[ "$pinned" != "$JAEGER_VERSION" ]]; then
    echo "tools/go/jaeger/go.mod requires $mod $pinned but versions.env says $JAEGER_VERSION;"
    echo "update it there: go get -tool $mod/cmd/jaeger@$JAEGER_VERSION, then repeat its replace directives."
    return 1
  fi
  local upstream missing
  upstream="$(go mod download -json "$mod@$JAEGER_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  missing="$(comm -23 <(replace_lines "$upstream") <(replace_lines go.mod))"
  if [[ -n "$missing" ]]; then
    echo "tools/go/jaeger/go.mod lacks replace directives of $mod@$JAEGER_VERSION:"
    echo "$missing"
    return 1
  fi
  GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath \
    -ldflags "$LDFLAGS_BASE -X $mod/internal/version.latestVersion=$JAEGER_VERSION" \
    -o "$OUT" "$mod/cmd/jaeger"
}

# Modules of <module>@<version>'s go.mod that it both requires and replaces
# with a local directory (its staging or sibling modules).
local_replaced() {
  comm -12 \
    <(go mod edit -print "$1" | awk '/^require \($/ { blk = 1; next } blk && /^\)/ { blk = 0 }
        blk { print $1 } /^require [^(]/ { print $2 }' | sort -u) \
    <(replace_lines "$1" | awk '$3 ~ /^\.\.?\// { print $1 }')
}

# check_wrapper <dir> <module> <version> <sibling-version>: the wrapper module
# copied into . from tools/go/<dir> must require <module> at <version> and
# replace each of its local_replaced modules by its published <sibling-version>.
check_wrapper() {
  local dir="$1" mod="$2" version="$3" sibling_version="$4" pinned upstream missing
  pinned="$(go list -m -f '{{.Version}}' "$mod")"
  if [[ "$pinned" != "$version" ]]; then
    echo "tools/go/$dir/go.mod requires $mod $pinned but versions.env says $version;"
    echo "update it there (go get $mod@$version) and its replace directives."
    return 1
  fi
  upstream="$(go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  missing="$(comm -23 <(local_replaced "$upstream" | awk -v v="$sibling_version" '{ print $1 " => " $1 " " v }') \
    <(replace_lines go.mod))"
  if [[ -n "$missing" ]]; then
    echo "tools/go/$dir/go.mod lacks replace directives for $mod@$version's local modules:"
    echo "$missing"
    return 1
  fi
}

# Kubernetes v1.N.P's staging modules (k8s.io/api, ...) are released as v0.N.P.
# build_kubernetes <wrapper dir under tools/go> <cmd name>
build_kubernetes() {
  local dir="$1" name="$2" vpkg=k8s.io/component-base/version minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  cp "$GO_DIR/$dir/go.mod" "$GO_DIR/$dir/go.sum" .
  check_wrapper "$dir" k8s.io/kubernetes "$KUBERNETES_VERSION" "v0.${KUBERNETES_VERSION#v1.}"
  # Upstream's release flags: the version also sets the binary's compatibility
  # version, which the default (v0.0.0-master) would break.
  GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -ldflags "$LDFLAGS_BASE \
    -X $vpkg.gitVersion=$KUBERNETES_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor \
    -X $vpkg.gitTreeState=clean" -o "$OUT" "k8s.io/kubernetes/cmd/$name"
}

build_etcd() {
  cp "$GO_DIR/etcd/go.mod" "$GO_DIR/etcd/go.sum" .
  check_wrapper etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "$ETCD_VERSION"
  GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -ldflags "$LDFLAGS_BASE" -o "$OUT" go.etcd.io/etcd/server/v3
}

# The kwok binary has no built-in stages (kwokctl passes its own): install the
# release's default node and pod stages beside it, as kwokctl picks them with
# node leases on, for test/kube/ to pass with --config.
build_kwok() {
  build_go_install sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION" "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"
  local stages f
  stages="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage"
  for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
      pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    echo "---"
    cat "$stages/$f.yaml"
  done >"$WORK/out/kwok-stages.yaml"
}

# This repository's own pod sandbox program (no module proxy download).
build_grafana_dashboard_check() {
  (cd "$GO_DIR/grafana-dashboard-check" && GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -ldflags "$LDFLAGS_BASE" -o "$OUT" .)
}

build_pause() {
  (cd "$GO_DIR/pause" && go build -trimpath -ldflags "$LDFLAGS_BASE" -o "$OUT" .)
}

# Prometheus v2.N.P is module tag v0.N.P; its version package reports the release.
# build_prometheus <cmd name under github.com/prometheus/prometheus/cmd>
build_prometheus() {
  local mod=github.com/prometheus/prometheus vpkg=github.com/prometheus/common/version pinned
  cp "$GO_DIR/prometheus/go.mod" "$GO_DIR/prometheus/go.sum" .
  pinned="$(go list -m -f '{{.Version}}' "$mod")"
  if [[ "$pinned" != "$PROMETHEUS_MODULE_VERSION" ]]; then
    echo "tools/go/prometheus/go.mod requires $mod $pinned but versions.env says $PROMETHEUS_MODULE_VERSION;"
    echo "update it there (go get $mod@$PROMETHEUS_MODULE_VERSION) and repeat upstream's replace and exclude directives."
    return 1
  fi
  GOFLAGS="$GOFLAGS -mod=mod" go build -trimpath -ldflags "$LDFLAGS_BASE \
    -X $vpkg.Version=2${PROMETHEUS_MODULE_VERSION#v0} -X $vpkg.Branch=HEAD" -o "$OUT" "$mod/cmd/$1"
}

build_victorialogs() {
  build_go_install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs "$VICTORIALOGS_VERSION" \
    "-X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=victoria-logs-$VICTORIALOGS_VERSION"
}

# Checks the workflows of examples/ci/ in the tests.
build_actionlint() {
  build_go_install github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" "-X main.version=$ACTIONLINT_VERSION"
}

build_vegeta() {
  build_go_install github.com/tsenart/vegeta/v12 "$VEGETA_VERSION" "-X main.Version=$VEGETA_VERSION"
}

# toxiproxy's /version reports this; upstream releases set it without the "v".
build_toxiproxy() {
  build_go_install "github.com/Shopify/toxiproxy/v2/cmd/$1" "$TOXIPROXY_VERSION" \
    "-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION#v}"
}

KUBERNETES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)
NODE=(kubelet kube-proxy kubectl pause)
PROMETHEUS=(prometheus-k8s promtool-k8s)
ALL=(ocb otelcol-slo jaeger victoria-logs vegeta toxiproxy-server toxiproxy-cli actionlint grafana-dashboard-check "${KUBERNETES[@]}" "${NODE[@]}" "${PROMETHEUS[@]}")
(($#)) || set -- "${ALL[@]}"
want=()
for arg in "$@"; do
  case "$arg" in
    toxiproxy) want+=(toxiproxy-server toxiproxy-cli) ;;
    otelcol) want+=(otelcol-slo) ;;
    kubernetes) want+=("${KUBERNETES[@]}") ;;
    node) want+=("${NODE[@]}") ;;
    prometheus) want+=("${PROMETHEUS[@]}") ;;
    ocb|otelcol-slo|jaeger|victoria-logs|vegeta|toxiproxy-server|toxiproxy-cli|actionlint|grafana-dashboard-check) want+=("$arg") ;;
    kube-apiserver|kube-controller-manager|kube-scheduler|etcd|kwok|kubelet|kube-proxy|kubectl|pause) want+=("$arg") ;;
    prometheus-k8s|promtool-k8s) want+=("$arg") ;;
    *) echo "unknown tool '$arg' (known: ${ALL[*]} toxiproxy kubernetes node prometheus)" >&2; exit 2 ;;
  esac
done

install_tool() {
  case "$1" in
    ocb) install ocb "$OCB_VERSION" build_ocb ;;
    otelcol-slo)
      # The label hashes the rendered manifest, so editing components rebuilds.
      install otelcol-slo "$OTELCOL_CORE_VERSION+$(render_manifest - | short_hash)" build_otelcol ;;
    jaeger)
      install jaeger "$JAEGER_VERSION+$(short_hash "$GO_DIR"/jaeger/go.{mod,sum})" build_jaeger ;;
    victoria-logs) install victoria-logs "$VICTORIALOGS_VERSION" build_victorialogs ;;
    vegeta) install vegeta "$VEGETA_VERSION" build_vegeta ;;
    actionlint) install actionlint "$ACTIONLINT_VERSION" build_actionlint ;;
    toxiproxy-server) install toxiproxy-server "$TOXIPROXY_VERSION" build_toxiproxy server ;;
    toxiproxy-cli) install toxiproxy-cli "$TOXIPROXY_VERSION" build_toxiproxy cli ;;
    kube-apiserver|kube-controller-manager|kube-scheduler)
      install "$1" "$KUBERNETES_VERSION+$(short_hash "$GO_DIR"/kubernetes/go.{mod,sum})" build_kubernetes kubernetes "$1" ;;
    kubelet|kube-proxy|kubectl)
      install "$1" "$KUBERNETES_VERSION+$(short_hash "$GO_DIR"/kubernetes-node/go.{mod,sum})" build_kubernetes kubernetes-node "$1" ;;
    etcd) install etcd "$ETCD_VERSION+$(short_hash "$GO_DIR"/etcd/go.{mod,sum})" build_etcd ;;
    kwok) install kwok "$KWOK_VERSION" build_kwok ;;
    prometheus-k8s|promtool-k8s)
      install "$1" "$PROMETHEUS_MODULE_VERSION+$(short_hash "$GO_DIR"/prometheus/go.{mod,sum})" build_prometheus "${1%-k8s}" ;;
    pause) install pause "local+$(short_hash "$GO_DIR"/pause/{go.mod,main.go})" build_pause ;;
    grafana-dashboard-check)
      install grafana-dashboard-check "local+$(short_hash "$GO_DIR"/grafana-dashboard-check/{go.mod,go.sum,main.go})" build_grafana_dashboard_check ;;
  esac
}

# Two lanes at once: one Go build leaves two cores idle about a fifth of the time (module
# downloads, single-threaded links), so the heaviest builds are split between two concurrent ones.
# ocb comes before the collector it builds; the Kubernetes wrappers share a lane, where each
# reuses what the one before left in the build cache. SLO_HARNESS_BUILD_LANES=1 builds one by one.
LANE_A=(ocb otelcol-slo kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl pause)
declare -A in_a=() seen=()
for tool in "${LANE_A[@]}"; do in_a[$tool]=1; done
lane_a=(); lane_b=()
for tool in "${want[@]}"; do
  [[ -n "${seen[$tool]:-}" ]] && continue
  [[ "$tool" == otelcol-slo && -z "${seen[ocb]:-}" ]] && { seen[ocb]=1; lane_a+=(ocb); }
  seen[$tool]=1
  if [[ -n "${in_a[$tool]:-}" ]]; then lane_a+=("$tool"); else lane_b+=("$tool"); fi
done

run_lane() {
  trap cleanup EXIT
  local tool
  for tool in "$@"; do install_tool "$tool"; done
}
if [[ "${SLO_HARNESS_BUILD_LANES:-2}" == 1 ]]; then
  run_lane "${lane_a[@]}" "${lane_b[@]}"
else
  run_lane "${lane_a[@]}" & lane_a_pid=$!
  run_lane "${lane_b[@]}" & lane_b_pid=$!
  failed=0
  wait "$lane_a_pid" || failed=1
  wait "$lane_b_pid" || failed=1
  exit "$failed"
fi
