#!/usr/bin/env bash
# disk-check.sh IMAGE MARKER written|unchanged -- COMMAND ARGS...
#
# Makes IMAGE (1 MiB: MARKER, then zeros), runs COMMAND (a run_check.sh line booting a guest
# with IMAGE as its virtio disk), then checks the file on the host: "written" wants the
# sector the guest's /init writes with hvemu.disk_write=1 (HVEMU-WRITTEN, then zeros) at
# offset 512 and every other byte as made; "unchanged" wants IMAGE byte for byte as made.
set -uo pipefail
[ $# -ge 5 ] && [ "$4" = -- ] || { echo "usage: $0 IMAGE MARKER written|unchanged -- COMMAND..." >&2; exit 2; }
img=$1 marker=$2 want=$3
shift 4
case "$want" in written|unchanged) ;; *) echo "disk-check.sh: bad mode $want" >&2; exit 2 ;; esac

make_image() {       # make_image FILE [SECTOR1-TEXT]
  rm -f "$1"
  { printf '%s' "$marker"; head -c $((512 - ${#marker})) /dev/zero
    if [ -n "${2:-}" ]; then printf '%s' "$2"; head -c $((512 - ${#2})) /dev/zero; fi; } > "$1" &&
  truncate -s 1M "$1"
}
expected=$img.expected
trap 'rm -f "$expected"' EXIT
make_image "$img" || { echo "FAIL: cannot create $img"; exit 1; }
if [ "$want" = written ]; then make_image "$expected" HVEMU-WRITTEN; else cp "$img" "$expected"; fi

"$@"
rc=$?
if ! cmp -s "$img" "$expected"; then
  echo "FAIL: $img is not as expected ($want):"
  cmp "$img" "$expected" 2>&1 | head -n 1
  od -A d -c -N 32 -j 512 "$img" | head -n 2
  exit 1
fi
[ "$rc" -eq 0 ] && echo "PASS: $img $want"
exit "$rc"
