# Sourced by the installers. apt_install LOG PKG...: apt-get update + install, output appended to
# LOG, with the packages' own services kept from starting: the harness starts its tools itself on
# free ports, and a packaged service would take the default ones. The policy-rc.d that does this
# is only ours while we install (one that was already there is left alone). Returns apt's status.
apt_install() {
  local log="$1"; shift
  local own_policy="" rc=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; } >>"$log" 2>&1 || rc=$?
  [[ -n "$own_policy" ]] && rm -f /usr/sbin/policy-rc.d
  return "$rc"
}
