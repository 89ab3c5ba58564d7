#!/usr/bin/env bash
# Builds the genomics-api (env/target) virtualenv from PyPI, once per set of
# requirements: the venv directory is named after a hash of the requirement
# files and the Python version, so editing either yields a fresh venv and an
# unchanged tree reuses the cached one. $CACHE/venv/target points at the
# current one.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="$repo_root/env/target"
requirements="$target_dir/requirements.txt"
lock="$target_dir/requirements.lock"
cache="${SLO_HARNESS_CACHE:-$HOME/.cache/slo-harness}"
python="${PYTHON:-python3}"

command -v "$python" >/dev/null || { echo "install-python-target: $python not found on PATH" >&2; exit 1; }
[[ -f "$requirements" ]] || { echo "install-python-target: missing $requirements" >&2; exit 1; }

# A venv is tied to the interpreter that made it, so the version is part of the key.
hash="$( { cat "$requirements"; [[ -f "$lock" ]] && cat "$lock"; "$python" -VV; } | sha256sum | cut -c1-12)"
venv="$cache/venv/target-$hash"
marker="$venv/.slo-harness-install-complete"

if [[ -f "$marker" ]]; then
  status="cached"
else
  started=$SECONDS
  # No marker means a previous attempt died half-way: start from scratch.
  rm -rf "$venv"
  mkdir -p "$cache/venv"
  "$python" -m venv "$venv"
  log="$venv/pip-install.log"
  pip_args=(install --disable-pip-version-check --no-input -r "$requirements")
  # The lock pins transitive dependencies too; it constrains, never adds.
  [[ -f "$lock" ]] && pip_args+=(-c "$lock")
  if ! "$venv/bin/python" -m pip "${pip_args[@]}" >"$log" 2>&1; then
    failed="$(grep -oE 'No matching distribution found for [^ ]+|Could not find a version that satisfies the requirement [^ ]+|Failed to build [^ ]+|Cannot install [^ ]+' "$log" | head -n1 | awk '{print $NF}')"
    [[ -n "$failed" ]] || failed="$(grep -oE '^Collecting [^ ]+' "$log" | tail -n1 | awk '{print $2}')"
    grep -E '^ERROR' "$log" | tail -n 5 >&2 || tail -n 15 "$log" >&2
    echo "install-python-target: pip could not install ${failed:-the requirements} from PyPI into $venv (full log: $log)" >&2
    exit 1
  fi
  touch "$marker"
  status="created in $((SECONDS - started))s"
fi

ln -sfn "$venv" "$cache/venv/target"
# The target's own .venv, as a Python project has one: its target.yaml runs .venv/bin/gunicorn.
ln -sfn "$venv" "$target_dir/.venv"
echo "genomics-api venv $venv ($status)"
