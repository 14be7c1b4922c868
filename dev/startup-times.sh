#!/usr/bin/env bash
# Start-up time of one way of running llmbench: the median wall time of 5 runs of `--version` and of `gpu`
# (on a machine without a GPU, `gpu` fails fast with one sentence, which is what gets timed then).
#   dev/startup-times.sh artifacts/linux-x64/llmbench
#   dev/startup-times.sh dotnet src/LlmBench.Cli/bin/Release/net10.0/llmbench.dll
# docs/DISTRIBUTION.md has the figures this printed.
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: dev/startup-times.sh COMMAND [ARGS...]" >&2; exit 2; }
median_ms() {
  local times=() t0
  for _ in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    times+=($(( ($(date +%s%N) - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
"$@" --version >/dev/null 2>&1  # one run first, so the disk cache is warm for every figure
echo "--version  $(median_ms "$@" --version) ms"
echo "gpu        $(median_ms "$@" gpu) ms"
