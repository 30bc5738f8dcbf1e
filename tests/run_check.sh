#!/usr/bin/env bash
# tests/run_check.sh: runs one command and checks what a user would: its exit status and
# lines it printed. Used by the acceptance and command-line tests.
#
#   run_check.sh [--env FILE] [--status N] [--expect REGEX]... [--reject REGEX]...
#                [--stderr REGEX] [--timeout SEC] [--output FILE] [--stdin FILE]
#                -- COMMAND ARGS...
#
# --env FILE sources KEY=VALUE lines; @KEY@ in COMMAND and ARGS is replaced by the value
# (a missing file or key is a failure: tests never skip). stdin is /dev/null unless
# --stdin names a file to feed.
set -uo pipefail
status=0 timeout=300 env_file= output= input=/dev/null
expects=() rejects=() stderr_expects=()
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_file=$2; shift 2 ;;
    --status) status=$2; shift 2 ;;
    --expect) expects+=("$2"); shift 2 ;;
    --reject) rejects+=("$2"); shift 2 ;;
    --stderr) stderr_expects+=("$2"); shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --stdin) input=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run_check.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
declare -A vars=()
if [ -n "$env_file" ]; then
  [ -f "$env_file" ] || { echo "FAIL: guest artifacts list $env_file is missing (scripts/test creates it)"; exit 1; }
  while IFS='=' read -r k v; do [ -n "$k" ] && vars[$k]=$v; done < "$env_file"
fi
args=()
for a in "$@"; do
  while [[ $a =~ @([A-Z_0-9]+)@ ]]; do
    k=${BASH_REMATCH[1]}
    [ -n "${vars[$k]+x}" ] || { echo "FAIL: $k is not in $env_file"; exit 1; }
    a=${a//@$k@/${vars[$k]}}
  done
  args+=("$a")
done
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout "$timeout" "${args[@]}" < "$input" > "$out" 2> "$err"
rc=$?
[ -n "$output" ] && cp "$out" "$output"
fail=0
if [ "$rc" -eq 124 ]; then echo "FAIL: timed out after ${timeout}s"; fail=1
elif [ "$rc" -ne "$status" ]; then echo "FAIL: exit status $rc, expected $status"; fail=1; fi
for e in "${expects[@]}"; do
  grep -qE -- "$e" "$out" || { echo "FAIL: output lacks /$e/"; fail=1; }
done
for e in "${rejects[@]}"; do
  grep -qE -- "$e" "$out" && { echo "FAIL: output has /$e/"; fail=1; }
done
for e in "${stderr_expects[@]}"; do
  grep -qE -- "$e" "$err" || { echo "FAIL: stderr lacks /$e/"; fail=1; }
done
if [ "$fail" -ne 0 ]; then
  echo "--- command: ${args[*]}"
  echo "--- stdout (last 40 lines)"; tail -n 40 "$out"
  echo "--- stderr (last 20 lines)"; tail -n 20 "$err"
  exit 1
fi
echo "PASS: ${args[0]##*/} (exit $rc)"
