#!/usr/bin/env bash
# tests/gdb/gdb_check.sh: gdb-multiarch in batch mode against hvemu's gdb stub.
#
#   gdb_check.sh boot HVEMU ENTRY FILE FILE_OFFSET GDB_SETUP REGEX -- HVEMU-ARGS...
#     The machine waits (-S) at the kernel entry: pc is ENTRY, `info registers` matches
#     REGEX (a register of the boot protocol), 16 bytes at pc are FILE's at FILE_OFFSET
#     (elf: where its first loadable segment starts),
#     stepi moves pc by one instruction; then with -smp 2 a breakpoint on where two more
#     steps led is hit by `continue`, and `info threads` lists two threads.
#   gdb_check.sh replay HVEMU JOURNAL GDB_SETUP -- HVEMU-ARGS...
#     Records a run into JOURNAL, replays it under gdb: ten steps, three more, three back
#     (the registers must be as after ten), and reverse-continue to a breakpoint.
#   gdb_check.sh watch HVEMU ADDR GDB_SETUP -- HVEMU-ARGS...
#     A write watchpoint on the 8 bytes at ADDR, which the guest program writes: continue
#     stops with gdb's "Hardware watchpoint" report and the new value, and the stop can be
#     continued from to the next write.
# GDB_SETUP is a gdb command run before connecting ("set endian big"). Exit status 0 on
# success; otherwise what went wrong and the gdb transcript.
set -uo pipefail
mode=$1 hvemu=$2
shift 2
fail() { echo "FAIL: $*"; [ -f "$out" ] && sed 's/^/  gdb| /' "$out"; [ -f "$log" ] && sed 's/^/  hvemu| /' "$log" | tail -20; exit 1; }
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
out=$tmp/gdb.out log=$tmp/hvemu.log pid=

# Starts hvemu waiting for gdb on a free port (set in $port).
start() {
  for try in 1 2 3 4 5 6 7 8; do
    port=$((20000 + (RANDOM % 20000)))
    "$hvemu" "$@" -S -gdb tcp:127.0.0.1:$port >"$log" 2>&1 </dev/null &
    pid=$!
    for i in $(seq 50); do
      grep -q "waiting for gdb" "$log" && return 0
      kill -0 $pid 2>/dev/null || break
      sleep 0.1
    done
    grep -q "cannot listen" "$log" || fail "hvemu did not start"
  done
  fail "no free port"
}

# Runs gdb with the given -ex commands against $port.
rungdb() {
  timeout 300 gdb-multiarch -batch -nx -ex "$setup" -ex "target remote 127.0.0.1:$port" \
    "$@" -ex "kill" >"$out" 2>&1
  wait $pid 2>/dev/null
  pid=
}

hexval() { printf '%d' "$1"; }

case $mode in
boot)
  entry=$1 file=$2 off=$3 setup=$4 regex=$5
  shift 6
  [ "$off" = elf ] && off=$(( $(readelf -lW "$file" | awk '$1 == "LOAD" { print $2; exit }') ))
  start "$@"
  rungdb -ex "printf \"PC0=%#lx\\n\", \$pc" -ex "info registers" -ex "x/16xb \$pc" \
    -ex "stepi" -ex "printf \"PC1=%#lx\\n\", \$pc" -ex "stepi 2" -ex "printf \"PC3=%#lx\\n\", \$pc"
  pc0=$(sed -n 's/^PC0=//p' "$out") pc1=$(sed -n 's/^PC1=//p' "$out") pc3=$(sed -n 's/^PC3=//p' "$out")
  [ -n "$pc0" ] && [ $((pc0)) -eq $((entry)) ] || fail "pc is '$pc0' at the start, not the entry $entry"
  grep -Eq "$regex" "$out" || fail "info registers does not match '$regex'"
  want=$(od -An -tx1 -N16 -j "$off" "$file" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
  got=$(grep -E '^0x[0-9a-f]+:' "$out" | head -2 | sed 's/^[^:]*://' | tr -s ' \t\n' ' ' |
        sed 's/0x//g; s/^ //; s/ $//')
  [ "$got" = "$want" ] || fail "memory at pc is '$got', the kernel file has '$want'"
  step=$((pc1 - pc0))
  [ "$step" -eq 2 ] || [ "$step" -eq 4 ] || fail "stepi moved pc from $pc0 to $pc1"
  [ -n "$pc3" ] || fail "no pc after three steps"
  start "$@" -smp 2
  rungdb -ex "break *$pc3" -ex "continue" -ex "printf \"PCB=%#lx\\n\", \$pc" -ex "info threads"
  grep -Eq "^(Thread 1 hit )?Breakpoint 1, " "$out" || fail "the breakpoint at $pc3 was not reported"
  [ "$(sed -n 's/^PCB=//p' "$out")" = "$pc3" ] || fail "continue did not stop at $pc3"
  grep -Eq "^\*? +2 +Thread 2 " "$out" || fail "info threads does not list thread 2"
  grep -Eq "^\*? +1 +Thread 1 " "$out" || fail "info threads does not list thread 1"
  ;;
replay)
  jnl=$1 setup=$2
  shift 3
  "$hvemu" "$@" --record "$jnl" >"$log" 2>&1 </dev/null || fail "the recording failed"
  start "$@" --replay "$jnl"
  regs='printf "REGS %#lx %#lx %#lx %#lx\n", $pc, $sp, $ra, $a0'
  case $setup in *endian*) regs='printf "REGS %#lx %#lx %#lx %#lx %#lx\n", $pc, $r1, $lr, $r3, $ctr' ;; esac
  rungdb -ex "stepi 10" -ex "$regs" -ex "printf \"PC10=%#lx\\n\", \$pc" -ex "stepi 3" -ex "$regs" \
    -ex "reverse-stepi 3" -ex "$regs" -ex "reverse-stepi 10" -ex "$regs" \
    -ex 'eval "break *%#lx", $pc + 0' -ex "stepi 8" -ex "reverse-continue" -ex "$regs" \
    -ex "reverse-continue"
  mapfile -t r < <(sed -n 's/^REGS //p' "$out")
  [ "${#r[@]}" -eq 5 ] || fail "expected five register lines"
  [ "${r[0]}" = "${r[2]}" ] || fail "after reverse-stepi 3 the registers are '${r[2]}', not '${r[0]}'"
  [ "${r[0]}" != "${r[1]}" ] || fail "stepi 3 did not change anything"
  grep -q "^Breakpoint 1, " "$out" || fail "reverse-continue did not stop at the breakpoint"
  [ "${r[4]}" = "${r[3]}" ] || fail "reverse-continue stopped at '${r[4]}', not '${r[3]}'"
  grep -q "No more reverse-execution history" "$out" ||
    fail "reverse-continue from the first breakpoint did not reach the start"
  ;;
watch)
  addr=$1 setup=$2
  shift 3
  start "$@"
  rungdb -ex "watch *(long *)$addr" -ex "continue" -ex "printf \"PCW=%#lx\\n\", \$pc" \
    -ex "continue" -ex "printf \"PCW2=%#lx\\n\", \$pc"
  [ "$(grep -Ec '^(Thread [0-9]+ hit )?Hardware watchpoint 1: ' "$out")" -ge 3 ] ||
    fail "the watchpoint on $addr was not set and hit twice"
  grep -q '^New value = 1$' "$out" && grep -q '^Old value = 1$' "$out" &&
    grep -q '^New value = 2$' "$out" || fail "the two hits do not show the counter going 0, 1, 2"
  [ -n "$(sed -n 's/^PCW=//p' "$out")" ] || fail "no pc at the watchpoint"
  ;;
*)
  echo "gdb_check.sh: unknown mode $mode" >&2
  exit 2
  ;;
esac
echo PASS
