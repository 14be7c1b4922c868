#!/usr/bin/env bash
# Builds the linux-x64 single-file llmbench (dev/publish.sh) into .device/llmbench for the GPU machine, which has no
# .NET: the one file replaces .device/dotnet-rt.tar.xz plus .device/LlmBench.Cli/ for runs of the CLI.
# Test projects still need the runtime tarball and framework-dependent builds: ../shared/tools/device-bundle.sh.
# Usage (from anywhere in the repo): dev/device/bundle.sh, then take .device/ along (~53 MiB) and begin the command
# there with the line this prints, e.g.  <line> $L gpu; $L run --duration 60
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
dev/publish.sh --rid linux-x64 --no-tool >&2
mkdir -p .device
cp artifacts/linux-x64/llmbench .device/llmbench.tmp && mv .device/llmbench.tmp .device/llmbench
echo ".device/llmbench: $(du -h .device/llmbench | cut -f1), $(.device/llmbench --version)" >&2
echo "chmod +x .device/llmbench && export LLMBENCH_HOME=/tmp/llmbench-home L=\$PWD/.device/llmbench;"
