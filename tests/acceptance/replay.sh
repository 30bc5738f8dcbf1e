#!/usr/bin/env bash
# tests/acceptance/replay.sh: record and replay (DESIGN.md, "Host input, record and
# replay"). Boots a Linux command whose /init waits for one console line and echoes it
# (hvemu.mode=echo, or hvemu.echo=1 for the e500 init), with the line fed on stdin and
# --record, then replays the journal with nothing on stdin: the line must come back, and
# the state hashes (--trace-hash) and the console output must be identical. With --tamper,
# a copy of the journal whose console input says something else must be reported as a
# divergence (exit status 3) by the replay. With --disk MARKER the boot also gets a writable
# virtio disk (1 MiB: MARKER, then zeros) whose sector 1 its /init writes: the recording
# must have written the file, and the replay, which finds the file written, must still be
# the same run and leave the file as it found it.
#
#   replay.sh RUN_CHECK ENV_FILE HVEMU HVEMU_JOURNAL OUT_PREFIX [--tamper] [--disk MARKER]
#             -- HVEMU-ARGS...
set -uo pipefail
run=$1 envf=$2 hvemu=$3 jtool=$4 out=$5
shift 5
tamper=0 disk=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  case "$1" in
    --tamper) tamper=1; shift ;;
    --disk) disk=$2; shift 2 ;;
    *) echo "replay.sh: unknown option $1"; exit 2 ;;
  esac
done
[ "${1:-}" = -- ] && shift
drive=()
if [ -n "$disk" ]; then
  img=$out.img
  rm -f "$img"
  { printf '%s' "$disk"; head -c $((512 - ${#disk})) /dev/zero; } > "$img" && truncate -s 1M "$img" ||
    { echo "FAIL: cannot make $img"; exit 1; }
  drive=(-drive "file=$img,if=virtio,format=raw")
fi
fail() { echo "FAIL: $*"; exit 1; }
line=hvemu-replay-line-42
printf '%s\n' "$line" > "$out.input"
rm -f "$out.jnl" "$out.rec.hash" "$out.rep.hash"

"$run" --env "$envf" --timeout 600 --stdin "$out.input" --output "$out.rec.txt" \
  --expect "^HVEMU-ECHO: $line" -- "$hvemu" "$@" "${drive[@]}" --record "$out.jnl" \
  --trace-hash 100M -D "$out.rec.hash" || fail "the recorded run failed"
if [ -n "$disk" ]; then
  grep -q '^HVEMU-DISK-WRITE-OK' "$out.rec.txt" || fail "the recorded run did not write its disk"
  [ "$(dd if="$img" bs=1 skip=512 count=13 status=none)" = HVEMU-WRITTEN ] ||
    fail "the recorded run's write is not in $img"
  sum=$(md5sum < "$img")
fi
"$jtool" dump "$out.jnl" > "$out.jnl.txt" || fail "hvemu-journal cannot read the journal"
grep -q "^input .*$line" "$out.jnl.txt" || fail "the journal has no console input record ($out.jnl.txt)"

"$run" --env "$envf" --timeout 600 --output "$out.rep.txt" --expect "^HVEMU-ECHO: $line" \
  -- "$hvemu" "$@" "${drive[@]}" --replay "$out.jnl" -D "$out.rep.hash" || fail "the replay failed"
if [ -n "$disk" ]; then
  [ "$(md5sum < "$img")" = "$sum" ] || fail "the replay changed $img"
  grep -q '^disk ' "$out.jnl.txt" || fail "the journal has no disk record ($out.jnl.txt)"
fi
n=$(grep -c '^trace-hash ' "$out.rec.hash")
[ "$n" -ge 4 ] || fail "only $n state hashes were recorded ($out.rec.hash)"
grep -q '^trace-hash end' "$out.rec.hash" || fail "no final state hash ($out.rec.hash)"
cmp -s "$out.rec.hash" "$out.rep.hash" ||
  fail "the replay's state hashes differ from the recording's ($out.rec.hash, $out.rep.hash)"
cmp -s "$out.rec.txt" "$out.rep.txt" ||
  fail "the replay's console output differs from the recording's ($out.rec.txt, $out.rep.txt)"
echo "replay: $n state hashes identical, $(wc -c < "$out.jnl") bytes of journal"

if [ $tamper = 1 ]; then
  "$jtool" set-input "$out.jnl" "$out.bad.jnl" 0 'hvemu-replay-line-43\n' ||
    fail "hvemu-journal set-input failed"
  "$run" --env "$envf" --timeout 600 --status 3 \
    --stderr "replay diverged at instruction [0-9]+: (vCPU [0-9]+'s state|guest memory) differs" \
    -- "$hvemu" "$@" "${drive[@]}" --replay "$out.bad.jnl" -D "$out.bad.hash" ||
    fail "the replay of a modified journal did not report the divergence"
  echo "replay: the modified journal diverges: $(grep -c '^trace-hash ' "$out.bad.hash") hashes matched first"
fi
echo PASS
