#!/usr/bin/env bash
# Checks that one llmbench executable works on the CPU, without a GPU, .NET or the source tree's build outputs:
#   dev/smoke-binary.sh artifacts/linux-x64/llmbench
# Prints "PASS <check>" or "FAIL <check>: why" per check and, last, "smoke: N passed, N failed, N skipped".
# Exit status: 0 when nothing failed. Runs from the repo root (it uses tests/fixtures/golden/tiny-qwen3); ~20 s.
# The commands run with an empty environment except HOME and a PATH of one empty folder, so no `dotnet` is
# reachable (this machine's /usr/bin has one); while `serve` runs, no file of the SDK may be mapped into it.
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: dev/smoke-binary.sh PATH/TO/llmbench" >&2; exit 2; }
exe=$(readlink -f "$1")
model=tests/fixtures/golden/tiny-qwen3
work=$(mktemp -d)
mkdir "$work/nobin"
sdk=$(command -v dotnet >/dev/null 2>&1 && dirname "$(readlink -f "$(command -v dotnet)")" || true)
passed=0 failed=0 skipped=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }
bare() { env -i PATH="$work/nobin" HOME="$HOME" LLMBENCH_HOME="$work/home" "$exe" "$@"; }
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

out=$(bare --version 2>&1)
[[ $out =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] && pass "--version ($out)" || fail "--version" "$out"

bare --help >"$work/help" 2>&1 && grep -q 'generate' "$work/help" && pass "--help" || fail "--help" "$(head -3 "$work/help")"

# Greedy fp32 on the CPU must give Hugging Face's tokens: golden.json, case 2 (prompt 802,2,239,451,327).
out=$(bare generate --model "$model" --device cpu --prompt-ids 802,2,239,451,327 --max-tokens 4 --temperature 0 --json 2>&1)
[[ $out == *'"output_ids":[487,487,678,575]'* ]] && pass "generate --json matches golden.json" || fail "generate" "$out"

out=$(bare throughput --model "$model" --device cpu --num-prompts 4 --input-len 16 --output-len 4 --output-json "$work/throughput.json" 2>&1)
[ $? -eq 0 ] && [ -s "$work/throughput.json" ] && pass "throughput --output-json" || fail "throughput" "$(echo "$out" | tail -3)"

# Without a GPU, `gpu` must fail fast with one sentence (with a GPU it lists it).
if [ -e /dev/nvidiactl ]; then
  bare gpu >/dev/null 2>&1 && pass "gpu (a GPU is present)" || fail "gpu" "exit $? with a GPU present"
else
  out=$(bare gpu 2>&1); rc=$?
  [ $rc -ne 0 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && [[ $out == error:* ]] && pass "gpu without a GPU: one error line" \
    || fail "gpu without a GPU" "exit $rc: $out"
fi

# serve: ASP.NET Core inside the single file. Token-id prompts, since the tiny model has no tokenizer.
if command -v curl >/dev/null 2>&1; then
  port=$(( 20000 + RANDOM % 20000 ))
  # Not through bare(): $! must be the server itself (env execs it), for kill and /proc/$server/maps.
  env -i PATH="$work/nobin" HOME="$HOME" LLMBENCH_HOME="$work/home" "$exe" serve "$model" --served-model-name tiny-qwen3 \
    --device cpu --port "$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  out=$(curl -fs "http://127.0.0.1:$port/v1/completions" -H 'Content-Type: application/json' \
    -d '{"model":"tiny-qwen3","prompt":[802,2,239,451,327],"max_tokens":4,"temperature":0,"return_token_ids":true}' 2>&1)
  [[ $out == *'"token_ids":[487,487,678,575]'* ]] && pass "serve /v1/completions matches golden.json" \
    || fail "serve" "${out:-no answer} / $(tail -3 "$work/serve.log")"
  if [ "$(readlink -f "/proc/$server/exe")" != "$exe" ]; then
    fail "serve uses no installed .NET" "process $server is not $exe"
  elif [ -n "$sdk" ] && grep -q "$sdk" "/proc/$server/maps"; then
    fail "serve uses no installed .NET" "$(grep -m3 "$sdk" "/proc/$server/maps")"
  else
    pass "serve maps no file of an installed .NET${sdk:+ ($sdk)}"
  fi
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; server=
else
  skip "serve" "no curl"
fi

echo "smoke: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
