#!/usr/bin/env bash
# tests/cli/record_errors.sh: bad journals and snapshots are refused with one clear line
# and a non-zero exit, never a crash: a journal or snapshot of another command line, a
# truncated one, one with a flipped byte, something that is not one at all, and
# option misuse. The good ones come from a short guest program run here.
#
#   record_errors.sh HVEMU HVEMU_JOURNAL WORKDIR PROGRAM
set -uo pipefail
hvemu=$1 jtool=$2 dir=$3 prog=$4
fails=0
mkdir -p "$dir"
run() { "$hvemu" -M virt -nographic -kernel "$prog" "$@" < /dev/null > "$dir/out.txt" 2> "$dir/err.txt"; }
# expect STATUS REGEX -- ARGS...: exit status and one stderr line matching REGEX (-: any).
expect() {
  local status=$1 re=$2
  shift 3
  run "$@"
  local rc=$?
  if [ $rc -ne "$status" ] || { [ "$re" != - ] && ! grep -Eq "$re" "$dir/err.txt"; }; then
    echo "FAIL: $* -> exit $rc (want $status), stderr:"; sed 's/^/    /' "$dir/err.txt" | head -5
    echo "    (wanted /$re/)"
    fails=$((fails + 1))
  else
    echo "ok: $re"
  fi
}

run --record "$dir/good.jnl" --trace-hash 100K --savevm "$dir/good.snap@200K" ||
  { echo "FAIL: the recording run failed"; cat "$dir/err.txt"; exit 1; }
"$jtool" dump "$dir/good.jnl" > "$dir/good.txt" || { echo "FAIL: hvemu-journal dump"; exit 1; }
grep -q '^end ' "$dir/good.txt" || { echo "FAIL: no end record"; exit 1; }
expect 0 '^trace-hash end 2[0-9]{5} ' -- --replay "$dir/good.jnl"

size=$(stat -c %s "$dir/good.jnl")
head -c $((size - 7)) "$dir/good.jnl" > "$dir/truncated.jnl"
cp "$dir/good.jnl" "$dir/flipped.jnl"
printf '\x5a' | dd of="$dir/flipped.jnl" bs=1 seek=$((size / 2)) conv=notrunc status=none
ssize=$(stat -c %s "$dir/good.snap")
head -c $((ssize / 2)) "$dir/good.snap" > "$dir/truncated.snap"
cp "$dir/good.snap" "$dir/flipped.snap"
printf '\x5a' | dd of="$dir/flipped.snap" bs=1 seek=$((ssize / 3)) conv=notrunc status=none

expect 1 "^hvemu: --replay: '.*truncated.jnl' is truncated" -- --replay "$dir/truncated.jnl"
expect 1 "^hvemu: --replay: '.*flipped.jnl' is corrupt" -- --replay "$dir/flipped.jnl"
expect 1 "^hvemu: --replay: '.*' is not an hvemu journal" -- --replay "$prog"
expect 1 "^hvemu: --replay: cannot read '/nonexistent.jnl'" -- --replay /nonexistent.jnl
expect 1 "^hvemu: --replay: '.*good.jnl' was recorded with another command line" \
  -- --replay "$dir/good.jnl" -smp 2
expect 1 "^hvemu: --replay: '.*good.jnl' was recorded with --trace-hash 100000" \
  -- --replay "$dir/good.jnl" --trace-hash 5000
expect 1 "^hvemu: --record and --replay cannot be used together" \
  -- --record "$dir/x.jnl" --replay "$dir/good.jnl"
expect 1 "^hvemu: --record: cannot write '/nonexistent/x.jnl'" -- --record /nonexistent/x.jnl
expect 1 "^hvemu: --savevm: -drive file=.* is writable; snapshots do not hold disk" \
  -- --savevm "$dir/x.snap@100K" -drive "file=$dir/good.txt"
expect 1 "^hvemu: --trace-hash: invalid count '12Q'" -- --trace-hash 12Q
expect 1 "^hvemu: --savevm: expected FILE@ICOUNT" -- --savevm "$dir/x.snap"

expect 0 '^trace-hash end 2[0-9]{5} ' -- --loadvm "$dir/good.snap" --trace-hash 100K
expect 1 "^hvemu: --loadvm: '.*truncated.snap' is corrupt or truncated" -- --loadvm "$dir/truncated.snap"
expect 1 "^hvemu: --loadvm: '.*flipped.snap' is corrupt or truncated" -- --loadvm "$dir/flipped.snap"
expect 1 "^hvemu: --loadvm: '.*' is not an hvemu snapshot" -- --loadvm "$dir/good.jnl"
expect 1 "^hvemu: --loadvm: '.*good.snap' was saved with another command line" \
  -- --loadvm "$dir/good.snap" -m 256M
expect 1 "^hvemu: --loadvm: cannot read '/nonexistent.snap'" -- --loadvm /nonexistent.snap

[ $fails -eq 0 ] && echo PASS || { echo "FAIL: $fails checks"; exit 1; }
