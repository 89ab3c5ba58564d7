#!/bin/bash
# slo-harness/load-runner: one runner of a distributed load (an Indexed Job's pod). Waits for the
# shared start time, then runs each stage with Vegeta, writing Vegeta's JSON results and a few
# lines about itself to stdout, which the harness follows as the pod's log and merges.
#   START_AT_MS   epoch ms every runner starts at
#   STAGES        "name:rate:durationMs:workers:maxWorkers ..." (workers 0: open model)
#   TIMEOUT_MS    Vegeta's per-request timeout
#   RUNNERS, JOB_COMPLETION_INDEX (set by Kubernetes)   this runner's place among them
#   TARGETS       file of Vegeta JSON targets with @TRACE@ and @SPAN@ where the ids go
set -eu
index="${JOB_COMPLETION_INDEX:?set by an Indexed Job}"
event() { printf '{"runner":%d,"event":"%s"%s}\n' "$index" "$1" "${2:-}"; }

wait_ms=$(( START_AT_MS - $(date +%s%3N) ))
if (( wait_ms > 0 )); then sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"; fi
event started ",\"at\":$(date +%s%3N)"

mapfile -t lines < "$TARGETS"
count=${#lines[@]}
next=$(( index * count / RUNNERS ))

# Endless targets, each with a fresh trace and span id (bash's SRANDOM: the kernel's random bytes),
# ended by Vegeta closing the pipe when its stage is over.
targets() {
  local i=$next tid sid line
  while :; do
    printf -v tid '%08x%08x%08x%08x' "$SRANDOM" "$SRANDOM" "$SRANDOM" "$SRANDOM"
    printf -v sid '%08x%08x' "$SRANDOM" "$SRANDOM"
    line=${lines[i]//@TRACE@/$tid}
    printf '%s\n' "${line//@SPAN@/$sid}" || return 0
    i=$(( (i + 1) % count ))
  done
}

for stage in $STAGES; do
  IFS=: read -r name rate duration workers max_workers <<< "$stage"
  extra=()
  if (( workers > 0 )); then extra=("-workers=$workers"); fi
  set +e
  targets 2>/dev/null | vegeta attack -format=json -lazy "-rate=$rate" "${extra[@]}" "-duration=${duration}ms" \
    "-timeout=${TIMEOUT_MS}ms" "-max-workers=$max_workers" -max-body=0 "-name=$name" | vegeta encode --to json
  code=${PIPESTATUS[1]}
  set -e
  event stage ",\"stage\":\"$name\",\"code\":$code"
  next=$(( (next + 1) % count ))
done
event done ",\"at\":$(date +%s%3N)"
