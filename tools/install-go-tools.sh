#!/usr/bin/env bash
# Build the Go-based external tools from the Go module proxy into a cache
# outside the repo: $CACHE/tools/<name>-<version>/<name>, linked from $CACHE/bin.
#
#   tools/install-go-tools.sh [tool ...]
#   tools: ocb otelcol-slo jaeger victoria-logs vegeta toxiproxy-server
#          toxiproxy-cli (toxiproxy = both); default: all
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
# The build function gets $WORK (scratch dir), $LOG, and must leave the binary at $OUT.
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

build_victorialogs() {
  build_go_install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs "$VICTORIALOGS_VERSION" \
    "-X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=victoria-logs-$VICTORIALOGS_VERSION"
}

build_vegeta() {
  build_go_install github.com/tsenart/vegeta/v12 "$VEGETA_VERSION" "-X main.Version=$VEGETA_VERSION"
}

# toxiproxy's /version reports this; upstream releases set it without the "v".
build_toxiproxy() {
  build_go_install "github.com/Shopify/toxiproxy/v2/cmd/$1" "$TOXIPROXY_VERSION" \
    "-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION#v}"
}

ALL=(ocb otelcol-slo jaeger victoria-logs vegeta toxiproxy-server toxiproxy-cli)
(($#)) || set -- "${ALL[@]}"
want=()
for arg in "$@"; do
  case "$arg" in
    toxiproxy) want+=(toxiproxy-server toxiproxy-cli) ;;
    otelcol) want+=(otelcol-slo) ;;
    ocb|otelcol-slo|jaeger|victoria-logs|vegeta|toxiproxy-server|toxiproxy-cli) want+=("$arg") ;;
    *) echo "unknown tool '$arg' (known: ${ALL[*]} toxiproxy)" >&2; exit 2 ;;
  esac
done

declare -A done_=()
for tool in "${want[@]}"; do
  [[ -n "${done_[$tool]:-}" ]] && continue
  done_[$tool]=1
  case "$tool" in
    ocb) install ocb "$OCB_VERSION" build_ocb ;;
    otelcol-slo)
      [[ -n "${done_[ocb]:-}" ]] || { done_[ocb]=1; install ocb "$OCB_VERSION" build_ocb; }
      # The label hashes the rendered manifest, so editing components rebuilds.
      install otelcol-slo "$OTELCOL_CORE_VERSION+$(render_manifest - | short_hash)" build_otelcol ;;
    jaeger)
      install jaeger "$JAEGER_VERSION+$(short_hash "$GO_DIR"/jaeger/go.{mod,sum})" build_jaeger ;;
    victoria-logs) install victoria-logs "$VICTORIALOGS_VERSION" build_victorialogs ;;
    vegeta) install vegeta "$VEGETA_VERSION" build_vegeta ;;
    toxiproxy-server) install toxiproxy-server "$TOXIPROXY_VERSION" build_toxiproxy server ;;
    toxiproxy-cli) install toxiproxy-cli "$TOXIPROXY_VERSION" build_toxiproxy cli ;;
  esac
done
