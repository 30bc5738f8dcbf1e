# shellcheck shell=bash
# scripts/guests/lib.sh: what the guest scripts (scripts/guests/riscv, scripts/guests/ppc64,
# scripts/guests/e500) share. Sourced, after `set -euo pipefail`, by a script that first sets
#
#   ARCH         the Debian architecture (riscv64, ppc64el); the cache folder is $CACHE/$ARCH.
#                scripts/guests/e500 fetches nothing and sets the cache folder's name (e500).
#   ELF_MACHINE  the guest's ELF e_machine as its two bytes appear in a file, in hex
#                (little endian: RISC-V 0xf3 is f300, PowerPC64 21 is 1500). Every ELF file
#                taken from a package (kernel, modules, busybox) must be ELF64 little endian
#                with this machine.
#
# then calls guests_start MKINITRAMFS_BINARY and apt_use SUITE. It gets:
#
#   - a private apt state per suite and architecture ($CACHE/apt/SUITE-ARCH, the host's own
#     Debian mirror, the host's keyring): apt_update, pkg_field, resolve_linux, fetch_deb.
#     Nothing is ever installed on the host.
#   - a cache ($OUT) of one folder per package version (`key`), each built in $TMP (on the
#     same filesystem) and renamed into place only when complete, under a lock: a killed run
#     leaves only $OUT/.tmp.*, which the next run deletes.
#   - build_busybox, modules_for (the closure of a module list, from the cached kernel .deb)
#     and build_initrd (the initramfs: busybox, tests/acceptance/init, the modules, and what
#     an extra spec adds).
#   - pack_initrd (a gen_init_cpio spec to a gzip'd cpio with $MKINITRAMFS), which
#     build_initrd uses and scripts/guests/e500 uses with its own spec.

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INIT_SRC=$ROOT/tests/acceptance/init
CACHE=${HVEMU_CACHE:-$HOME/.cache/hvemu}
GUEST_NAME=${0##*/}

log() { echo "guests/$GUEST_NAME: $*" >&2; }
die() { log "error: $*"; exit 1; }

# guests_start "$@": checks the command line (MKINITRAMFS_BINARY), takes the cache lock,
# deletes what a killed run left and makes $TMP. Sets MKINITRAMFS, OUT, TMP.
guests_start() {
    [ $# -eq 1 ] || { echo "usage: $0 MKINITRAMFS_BINARY" >&2; exit 2; }
    [ -f "$1" ] && [ -x "$1" ] || die "$1 is not an executable"
    MKINITRAMFS=$(realpath "$1")
    [ -f "$INIT_SRC" ] || die "missing $INIT_SRC"
    OUT=$CACHE/$ARCH
    mkdir -p "$OUT"
    exec 9>"$OUT/.lock"
    flock 9                                  # one run at a time per cache
    rm -rf "$OUT"/.tmp.*                     # leftovers of a killed run never count as cached
    TMP=$(mktemp -d "$OUT/.tmp.XXXXXX")      # same filesystem as the cache: mv is atomic
    trap 'rm -rf "$TMP"' EXIT
}

# --- private apt --------------------------------------------------------------------------
declare -A APT_UPDATED=()

apt_use() {          # apt_use SUITE: the apt state the following apt calls use
    SUITE=$1
    APTDIR=$CACHE/apt/$SUITE-$ARCH
    mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache"
    APT_OPTS=(-o Dir::State::Lists="$APTDIR/lists" -o Dir::State::status=/dev/null
              -o Dir::Cache="$APTDIR/cache" -o Dir::Etc::SourceList="$APTDIR/sources.list"
              -o Dir::Etc::SourceParts=/dev/null -o Dir::Etc::Preferences=/dev/null
              -o Dir::Etc::PreferencesParts=/dev/null -o APT::Architecture="$ARCH"
              -o APT::Architectures="$ARCH" -o Acquire::Languages=none -o APT::Sandbox::User=root)
}

host_mirror() {      # the first Debian (not security) mirror the host itself uses
    local m
    m=$( { sed -n 's/^URIs://p' /etc/apt/sources.list.d/*.sources
           sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\]\)\?//p' \
               /etc/apt/sources.list /etc/apt/sources.list.d/*.list; } 2>/dev/null |
         tr -s ' \t' '\n' | grep -E '^[a-z+]+://.*/debian/?$' | head -n 1 || true)
    echo "${m:-http://deb.debian.org/debian}"
}

apt_update() {       # once per suite and run
    [ -z "${APT_UPDATED[$SUITE]:-}" ] || return 0
    [ -f "$KEYRING" ] || die "missing $KEYRING (install debian-archive-keyring)"
    local mirror
    mirror=$(host_mirror)
    echo "deb [arch=$ARCH signed-by=$KEYRING] $mirror $SUITE main" > "$APTDIR/sources.list"
    log "apt-get update ($mirror $SUITE $ARCH)"
    apt-get -q --error-on=any "${APT_OPTS[@]}" update >&2
    APT_UPDATED[$SUITE]=1
}

pkg_field() {        # pkg_field PACKAGE FIELD: the field of the candidate version
    apt-cache "${APT_OPTS[@]}" show --no-all-versions "$1" |
        awk -v k="$2:" '$1 == k && !done { sub(/^[^ ]+ /, ""); print; done = 1 }'
}

resolve_linux() {    # resolve_linux FLAVOUR: linux-image-FLAVOUR's versioned package
    pkg_field "linux-image-$1" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/[[:space:]]//g' |
        grep -E -m 1 "^linux-image-[0-9].*-$1\$" || true
}

fetch_deb() {        # fetch_deb PACKAGE VERSION DIR: downloads the .deb into DIR
    log "downloading $1 $2 ($SUITE $ARCH)"
    (cd "$3" && apt-get -q "${APT_OPTS[@]}" download "$1=$2" >&2)
}

# --- checks ---------------------------------------------------------------------------------
hexbytes() { od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
is_guest_elf() {     # ELF magic, ELF64 (byte 4 = 2), little endian (byte 5 = 1), e_machine
    [ "$(hexbytes "$1" 0 6)" = 7f454c460201 ] && [ "$(hexbytes "$1" 18 2)" = "$ELF_MACHINE" ]
}

# --- versioned cache entries: built in $TMP, then moved into place in one rename --------------
key() { echo "$1_${2//:/%3a}"; }         # the .deb naming convention, without _arch.deb

build_busybox() {    # build_busybox PKG VER DEST: busybox, the .deb
    local w=$TMP/busybox
    mkdir -p "$w/x"
    fetch_deb "$1" "$2" "$w"
    dpkg-deb --fsys-tarfile "$w"/*.deb | tar -x -C "$w/x" --wildcards '*bin/busybox'
    mv "$(find "$w/x" -name busybox -type f | head -n 1)" "$w/busybox"
    rm -rf "$w/x"
    is_guest_elf "$w/busybox" || die "$1: busybox is not an ELF64 LE $ARCH executable"
    mv -T "$w" "$3"
}

ko_cat() {           # ko_cat MODULE: the module's ELF, whatever compression it ships with
    case "$1" in
        *.xz)  xz -dc "$1" ;;
        *.zst) zstd -qdc "$1" ;;
        *.gz)  gzip -dc "$1" ;;
        *)     cat "$1" ;;
    esac
}

# build_modules PKG VER LINUX_DIR DEST MODULE...: the closure of the MODULEs under
# DEST/lib/modules/<ver>/, kept as shipped (busybox insmod decompresses .ko.xz), plus
# modules.dep (depmod's format, for these modules only) and modules.load (every module once,
# dependencies first: /init insmods them in that order). The kernel .deb is LINUX_DIR/*.deb
# (fetched again with the current apt suite if missing). Dependencies come from each
# module's modinfo "depends=": the package has no modules.dep (its postinst runs depmod).
build_modules() {
    local pkg=$1 ver=$2 w=$TMP/modules x=$TMP/modules.x deb mdir kver f n p d i
    local -A path=() builtin=() seen=() direct=() trans=()
    local order=()
    mkdir -p "$w" "$x"
    deb=$(echo "$3"/*.deb)
    if [ ! -f "$deb" ]; then
        apt_update
        fetch_deb "$pkg" "$ver" "$x"
        deb=$(echo "$x"/*.deb)
    fi
    log "extracting modules ${*:5} from ${deb##*/}"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards '*/lib/modules/*'
    mdir=$(find "$x" -path '*/lib/modules/*/modules.order' | head -n 1)
    mdir=${mdir%/modules.order}
    [ -n "$mdir" ] && [ -d "$mdir/kernel" ] || die "${deb##*/} has no lib/modules/<version>/kernel"
    kver=${mdir##*/}
    while read -r f; do
        n=${f##*/}; n=${n%%.ko*}; path[${n//-/_}]=${f#"$mdir"/}
    done < <(find "$mdir/kernel" -name '*.ko*')
    while read -r f; do
        n=${f##*/}; n=${n%%.ko*}; builtin[${n//-/_}]=1
    done < "$mdir/modules.builtin"

    visit() {        # depth first: a module goes into order after its dependencies
        local n=${1//-/_} p info d deps=()
        [ -z "${seen[$n]:-}" ] || return 0
        seen[$n]=1
        p=${path[$n]:-}
        if [ -z "$p" ]; then
            [ -n "${builtin[$n]:-}" ] || die "$pkg has no module $n"
            log "module $n is built in"
            return 0
        fi
        info=$(ko_cat "$mdir/$p" | tr '\0' '\n' | grep -a -E '^(depends|vermagic)=')
        case "$(echo "$info" | grep -m 1 '^vermagic=')" in
            "vermagic=$kver "*) ;;
            *) die "$p was not built for $kver" ;;
        esac
        for d in $(echo "$info" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '); do
            visit "$d"
            [ -z "${path[${d//-/_}]:-}" ] || deps+=("${path[${d//-/_}]}")
        done
        direct[$p]="${deps[*]}"
        order+=("$p")
    }
    for n in "${@:5}"; do visit "$n"; done

    mkdir -p "$w/lib/modules/$kver"
    : > "$w/lib/modules/$kver/modules.dep"
    : > "$w/lib/modules/$kver/modules.load"
    for p in "${order[@]}"; do
        mkdir -p "$w/lib/modules/$kver/${p%/*}"
        cp "$mdir/$p" "$w/lib/modules/$kver/$p"
        ko_cat "$mdir/$p" > "$TMP/module.ko"
        is_guest_elf "$TMP/module.ko" || die "$p is not an ELF64 LE $ARCH module"
        # All dependencies, direct or not, in load order; modules.dep lists them reversed.
        trans[$p]=" "
        for d in ${direct[$p]}; do trans[$p]+="${trans[$d]}$d "; done
        local all=() rev=()
        for d in "${order[@]}"; do
            case "${trans[$p]}" in *" $d "*) all+=("$d") ;; esac
        done
        for ((i = ${#all[@]} - 1; i >= 0; i--)); do rev+=("${all[i]}"); done
        echo "$p:${rev[*]:+ ${rev[*]}}" >> "$w/lib/modules/$kver/modules.dep"
        echo "$p" >> "$w/lib/modules/$kver/modules.load"
    done
    rm -rf "$x" "$TMP/module.ko"
    log "modules for $kver: ${order[*]:-none}"
    mv -T "$w" "$4"
}

# modules_key MODULE...: names the modules folder of a kernel: a hash of the list and of the
# code that builds it, so changing either makes a new folder.
modules_key() {
    { echo "$*"; echo "$ELF_MACHINE"; declare -f build_modules ko_cat is_guest_elf; } |
        sha256sum | cut -c 1-16
}

# modules_for PKG VER LINUX_DIR MODULE...: sets MODULES_DIR to LINUX_DIR/modules-<key>,
# extracting it from the cached .deb (no network) unless it exists; older ones are removed.
modules_for() {
    MODULES_DIR=$3/modules-$(modules_key "${@:4}")
    if [ ! -d "$MODULES_DIR" ]; then
        build_modules "$1" "$2" "$3" "$MODULES_DIR" "${@:4}"
        find "$3" -maxdepth 1 -name 'modules-*' ! -path "$MODULES_DIR" -exec rm -rf {} +
    fi
}

# --- initramfs: rebuilt every run (cheap, byte-reproducible), replaced only when it changed.
# Its contents are exactly the spec's inputs (busybox, /init, the modules folder), so it
# follows any change to them. ----------------------------------------------------------------
build_initrd() {     # build_initrd BUSYBOX MODULES_DIR DEST [EXTRA_SPEC]: a gzip'd newc cpio;
                     # EXTRA_SPEC is a file of spec lines appended as they are
    cat > "$TMP/spec" <<EOF
dir /bin 0755 0 0
dir /sbin 0755 0 0
dir /usr 0755 0 0
dir /usr/bin 0755 0 0
dir /usr/sbin 0755 0 0
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
dir /proc 0555 0 0
dir /sys 0555 0 0
dir /tmp 01777 0 0
dir /root 0700 0 0
file /bin/busybox $1 0755 0 0
slink /bin/sh busybox 0777 0 0
file /init $INIT_SRC 0755 0 0
dir /lib 0755 0 0
EOF
    ( cd "$2" || exit                         # /lib/modules/<ver>/..., parents first
      LC_ALL=C find lib -mindepth 1 -type d | LC_ALL=C sort | while read -r d; do
          echo "dir /$d 0755 0 0"; done
      LC_ALL=C find lib -type f | LC_ALL=C sort | while read -r f; do
          echo "file /$f $2/$f 0644 0 0"; done ) >> "$TMP/spec"
    [ -z "${4:-}" ] || cat "$4" >> "$TMP/spec"
    pack_initrd "$TMP/spec" "$3"
}

# pack_initrd SPEC DEST: the newc cpio of SPEC (gen_init_cpio's format), gzip'd without a
# name or time stamp, so the same spec and files give the same bytes; DEST is replaced only
# when they differ.
pack_initrd() {
    "$MKINITRAMFS" "$1" | gzip -n -9 > "$TMP/initrd"
    cmp -s "$TMP/initrd" "$2" 2>/dev/null || mv "$TMP/initrd" "$2"
}
