#!/usr/bin/env bash
# tests/acceptance/monitor.sh: the console monitor (Ctrl-A c) on a Linux boot whose /init
# reads one console line (hvemu.mode=echo or hvemu.echo=1). The input switches to the
# monitor, runs the commands given plus `info status`, a bad command, stop/info status/cont
# and `savevm` then `loadvm` of that snapshot, switches
# back and types the line: the monitor's answers must match the regexes, the snapshot must
# exist, and the guest must still get its line (HVEMU-ECHO).
#
#   monitor.sh RUN_CHECK ENV_FILE HVEMU OUT_PREFIX [--cmd COMMAND]... [--expect REGEX]...
#              -- HVEMU-ARGS...
set -uo pipefail
run=$1 envf=$2 hvemu=$3 out=$4
shift 4
cmds=() expects=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  case "$1" in
    --cmd) cmds+=("$2"); shift 2 ;;
    --expect) expects+=(--expect "$2"); shift 2 ;;
    *) echo "monitor.sh: unknown option $1"; exit 2 ;;
  esac
done
shift
rm -f "$out.snap"
{
  printf '\001c'
  printf 'info status\n'
  for c in "${cmds[@]}"; do printf '%s\n' "$c"; done
  printf 'frobnicate\n'
  printf 'stop\ninfo status\ncont\n'
  printf 'savevm %s\n' "$out.snap"
  printf 'loadvm %s\n' "$out.snap"
  printf '\001chvemu-monitor-line\n'
} > "$out.input"
"$run" --env "$envf" --timeout 600 --stdin "$out.input" --output "$out.txt" \
  --expect '^hvemu monitor: .help. lists the commands' \
  --expect '^\(hvemu\) info status' --expect 'running at instruction [0-9]+, virtual time' \
  --expect "unknown command 'frobnicate'" --expect "saved '.*$out.snap' at instruction [0-9]+" \
  --expect 'stopped at instruction [0-9]+, virtual time' \
  --expect "^loaded '.*$out.snap': at instruction [0-9]+" \
  --expect '^HVEMU-ECHO: hvemu-monitor-line' "${expects[@]}" -- "$hvemu" "$@" ||
  { echo "FAIL: the monitor session did not go as expected ($out.txt)"; exit 1; }
[ -s "$out.snap" ] || { echo "FAIL: the monitor's savevm wrote no snapshot"; exit 1; }
echo PASS
