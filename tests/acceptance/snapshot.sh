#!/usr/bin/env bash
# tests/acceptance/snapshot.sh: a snapshot in the middle of a Linux boot (--savevm
# FILE@ICOUNT) restored by another run (--loadvm) must go on as the saved run did: every
# state hash after ICOUNT and the final one identical. The boot reads one console line
# (as in replay.sh): the saving run records its input, and the restored run replays that
# journal from where the snapshot was taken, so it also checks every recorded hash. With
# --htab (pseries) a first snapshot is also taken at ICOUNT/2: it must hold the hashed page
# table as an HTAB stream with valid HPTEs, as hvemu-snapshot decodes it, and the one at
# ICOUNT, which is restored, must be incremental over it (BASE, fewer records).
#
#   snapshot.sh RUN_CHECK ENV_FILE HVEMU HVEMU_SNAPSHOT OUT_PREFIX ICOUNT MARKER [--htab]
#               -- HVEMU-ARGS...
set -uo pipefail
run=$1 envf=$2 hvemu=$3 stool=$4 out=$5 at=$6 marker=$7
shift 7
htab=0
if [ "${1:-}" = --htab ]; then htab=1; shift; fi
[ "${1:-}" = -- ] && shift
fail() { echo "FAIL: $*"; exit 1; }
rm -f "$out.snap" "$out.half.snap" "$out.jnl" "$out.1.hash" "$out.2.hash"
first=()
[ $htab = 1 ] && first=(--savevm "$out.half.snap@$((at / 2))")
printf 'hvemu-snapshot-line\n' > "$out.input"

"$run" --env "$envf" --timeout 600 --stdin "$out.input" --output "$out.1.txt" \
  --expect "$marker" --stderr "saved '.*' at instruction $at" \
  -- "$hvemu" "$@" --trace-hash 100M --record "$out.jnl" "${first[@]}" --savevm "$out.snap@$at" \
  -D "$out.1.hash" || fail "the run that saves failed"
"$stool" dump "$out.snap" > "$out.snap.txt" || fail "hvemu-snapshot cannot read the snapshot"
if [ $htab = 1 ]; then
  "$stool" dump "$out.half.snap" > "$out.half.txt" || fail "hvemu-snapshot cannot read the first snapshot"
  grep -Eq '^HTAB [0-9]+ records, [1-9][0-9]* valid HPTEs' "$out.half.txt" ||
    fail "the first snapshot has no HTAB stream with valid HPTEs ($out.half.txt)"
  grep -q "^BASE .*$(basename "$out").half.snap" "$out.snap.txt" ||
    fail "the second snapshot is not incremental over the first ($out.snap.txt)"
  full=$(awk '/^HTAB [0-9]+ records/ { print $2 }' "$out.half.txt")
  incr=$(awk '/^HTAB [0-9]+ records/ { print $2 }' "$out.snap.txt")
  [ -n "$incr" ] && [ "$incr" -lt "$full" ] ||
    fail "the incremental HTAB section has $incr records, the full one $full"
  echo "snapshot: HTAB $full records in the first, $incr in the incremental one"
fi
"$run" --env "$envf" --timeout 600 --output "$out.2.txt" --expect "$marker" \
  -- "$hvemu" "$@" --replay "$out.jnl" --loadvm "$out.snap" -D "$out.2.hash" ||
  fail "the restored run failed"
awk -v at="$at" '$1 == "trace-hash" && ($2 == "end" || $2 + 0 > at + 0)' "$out.1.hash" > "$out.1.after"
n=$(grep -c . "$out.1.after")
[ "$n" -ge 3 ] || fail "only $n state hashes after the snapshot ($out.1.hash)"
cmp -s "$out.1.after" "$out.2.hash" ||
  fail "the restored run's state hashes differ from the saved run's ($out.1.after, $out.2.hash)"
echo "snapshot: $n state hashes after instruction $at identical; $(wc -c < "$out.snap") bytes"
echo PASS
