#!/usr/bin/env bash
# Builds a Debian root filesystem tarball for `docker import`, without any container registry:
# debootstrap (minbase) from Debian's mirror, then apt-get install of the given packages from the
# suite, its -updates and -security, with no service started (policy-rc.d) and no default
# PostgreSQL cluster. Needs root (chroot, mount).
# Usage: debian-rootfs.sh OUT.tar SUITE MIRROR SECURITY_MIRROR PACKAGE...
set -euo pipefail

fail() { echo "debian-rootfs: $*" >&2; exit 1; }
(( $# >= 4 )) || fail "usage: debian-rootfs.sh OUT.tar SUITE MIRROR SECURITY_MIRROR PACKAGE..."
out="$1" suite="$2" mirror="$3" security="$4"; shift 4
packages=("$@")
[[ $(id -u) -eq 0 ]] || fail "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || fail "debootstrap is not installed (run tools/install-docker.sh)"

work="$(mktemp -d /var/tmp/slo-harness-rootfs.XXXXXX)"
root="$work/root"
cleanup() {
  local m
  for m in proc sys; do
    if mountpoint -q "$root/$m" 2>/dev/null; then umount -l "$root/$m" || true; fi
  done
  # Never recurse into a chroot whose /proc or /sys is still mounted.
  if mountpoint -q "$root/proc" 2>/dev/null || mountpoint -q "$root/sys" 2>/dev/null; then
    echo "debian-rootfs: left $work in place: $root/proc or $root/sys is still mounted" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
in_root() { LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive chroot "$root" "$@"; }

echo "debootstrap $suite (minbase) from $mirror"
debootstrap --variant=minbase --foreign "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; fail "step 'debootstrap (first stage)' failed"; }
# No package may start a service, neither now nor in a container later.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
in_root /debootstrap/debootstrap --second-stage >"$work/second-stage.log" 2>&1 \
  || { tail -n 20 "$work/second-stage.log" >&2; tail -n 20 "$root/debootstrap/debootstrap.log" >&2 || true; fail "step 'debootstrap (second stage)' failed"; }

cat > "$root/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
SOURCES
# Keep images small, as the official Debian images do.
cat > "$root/etc/apt/apt.conf.d/90slo-harness" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
APT
# Like the official slim images: no docs, man pages or translations; and not the raw time-zone
# sources of moment-timezone (200 MB, a build input; Prometheus's UI uses the bundled file).
cat > "$root/etc/dpkg/dpkg.cfg.d/90slo-harness-excludes" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/javascript/moment-timezone/data/*
DPKG
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
echo "apt-get install ${packages[*]}"
{ in_root apt-get update -q && in_root apt-get -y -q upgrade && in_root apt-get install -y -q "${packages[@]}"; } >"$work/apt.log" 2>&1 \
  || { tail -n 30 "$work/apt.log" >&2; fail "step 'apt-get install ${packages[*]}' failed"; }
in_root apt-get clean
umount "$root/proc"

# The images run their own servers: no default PostgreSQL cluster, no apt lists, no logs.
rm -rf "$root"/etc/postgresql/*/main "$root"/var/lib/postgresql/*/main
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/*.log "$root"/var/log/apt/* \
  "$root"/tmp/* "$root"/usr/share/man/* "$root"/usr/share/info/*
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
: > "$root/etc/resolv.conf"
printf '%s\n' "${packages[@]}" > "$root/etc/slo-harness-packages"

mkdir -p "$(dirname "$out")"
tar --numeric-owner --xattrs -C "$root" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -cf "$out.part" .
mv "$out.part" "$out"
echo "rootfs $out ($(du -h "$out" | cut -f1))"
