#!/usr/bin/env bash
# tests/acceptance/stops.sh: stopping a run changes nothing in it. The same boot (reading
# one console line from stdin) runs with --trace-hash 100M and with --trace-hash 3333337,
# which stops every vCPU ~30 times more often and mostly in the middle of a block; the
# final state hash, instruction count and virtual time must be the same.
#
#   stops.sh RUN_CHECK ENV_FILE HVEMU OUT_PREFIX MARKER -- HVEMU-ARGS...
set -uo pipefail
run=$1 envf=$2 hvemu=$3 out=$4 marker=$5
shift 5
[ "${1:-}" = -- ] && shift
fail() { echo "FAIL: $*"; exit 1; }
printf 'hvemu-stops-line\n' > "$out.input"
for n in 100M 3333337; do
  "$run" --env "$envf" --timeout 600 --stdin "$out.input" --expect "$marker" \
    -- "$hvemu" "$@" --trace-hash $n -D "$out.$n.hash" || fail "the run with --trace-hash $n failed"
done
a=$(grep '^trace-hash end ' "$out.100M.hash") b=$(grep '^trace-hash end ' "$out.3333337.hash")
[ -n "$a" ] || fail "no final hash"
[ "$a" = "$b" ] || fail "the final state differs: '$a' with 100M, '$b' with 3333337"
echo "stops: $(grep -c '^trace-hash' "$out.3333337.hash") stops, the same final state: $a"
echo PASS
