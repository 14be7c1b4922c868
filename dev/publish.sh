#!/usr/bin/env bash
# Builds what runs llmbench on a machine that has no .NET, and the dotnet tool package, under artifacts/:
#   artifacts/linux-x64/llmbench, artifacts/linux-arm64/llmbench
#       self-contained single files (runtime, ASP.NET Core, the Qwen3 tokenizer and the CUDA kernel sources inside,
#       compressed); nothing else is needed beside them
#   artifacts/llmbench-linux-x64, artifacts/llmbench-linux-arm64
#       the same files under the names a release attaches them with (hard links)
#   artifacts/llmbench.<version>.nupkg
#       the dotnet tool (framework-dependent): dotnet tool install -g llmbench --add-source ./artifacts
#   artifacts/SHA256SUMS
#       checksums of the files this run built, for `sha256sum -c --ignore-missing SHA256SUMS`
# Usage: dev/publish.sh [--rid linux-x64] [--rid linux-arm64] [--no-tool]
#   with no --rid both are built. The log of the builds is artifacts/publish.log.
# Why single file and not NativeAOT, and the sizes and start-up times: docs/DISTRIBUTION.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rids=() tool=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rids+=("$2"); shift 2 ;;
    --no-tool) tool=0; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
command -v dotnet >/dev/null 2>&1 || { echo "error: dev/publish.sh needs the .NET 10 SDK (dotnet) on PATH." >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p artifacts
log=artifacts/publish.log
: >"$log"
made=()

run() {  # run a build step, its output into the log; on failure show the log's end and stop
  echo "+ $*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "error: $1 ${2:-} failed; the whole log is $log" >&2
    exit 1
  fi
}

for rid in "${rids[@]}"; do
  start=$(date +%s)
  rm -rf "artifacts/$rid" "artifacts/llmbench-$rid"
  # TieredCompilation=false comes from LlmBench.Cli.csproj and lands in the bundled runtimeconfig.json, as in the
  # framework-dependent build. DebugType=none: no .pdb files beside the executable. IncludeNativeLibrariesForSelfExtract:
  # the report's native Skia/HarfBuzz libraries travel inside the file and are extracted on first use.
  run dotnet publish src/LlmBench.Cli -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
    -o "artifacts/$rid" -nologo
  extra=$(find "artifacts/$rid" -mindepth 1 ! -name llmbench)
  if [ -n "$extra" ]; then
    echo "error: the single file needs files beside it, which it must not:" >&2; echo "$extra" >&2; exit 1
  fi
  ln "artifacts/$rid/llmbench" "artifacts/llmbench-$rid" 2>/dev/null || cp "artifacts/$rid/llmbench" "artifacts/llmbench-$rid"
  made+=("llmbench-$rid")
  echo "artifacts/$rid/llmbench  $(du -h "artifacts/$rid/llmbench" | cut -f1)  ($(( $(date +%s) - start )) s)"
done

if [ "$tool" = 1 ]; then
  start=$(date +%s)
  rm -f artifacts/llmbench.*.nupkg
  run dotnet pack src/LlmBench.Cli -c Release -o artifacts -nologo
  nupkg=$(cd artifacts && ls llmbench.*.nupkg)
  made+=("$nupkg")
  echo "artifacts/$nupkg  $(du -h "artifacts/$nupkg" | cut -f1)  ($(( $(date +%s) - start )) s)"
fi

(cd artifacts && sha256sum "${made[@]}" >SHA256SUMS)
echo "artifacts/SHA256SUMS:"; sed 's/^/  /' artifacts/SHA256SUMS
