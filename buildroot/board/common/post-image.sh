#!/usr/bin/env bash
# Post-image step of the handset image: puts the user's files on the boot
# partition and assembles sdcard.img with genimage (layout: genimage.cfg.in).
#
#   $1  BINARIES_DIR (Buildroot passes it)
#   $2  the [board] model of this image, from BR2_ROOTFS_POST_SCRIPT_ARGS:
#       pi-zero-w, pi-zero-2-w, pi-3 or pi-4
#
# BUILD_DIR (exported by Buildroot) holds genimage's scratch directory.
# The boot partition gets handset.toml, the repository's commented
# handset.example.toml with [board] model and watchdog set for the board,
# and README.txt.

set -euo pipefail

BINARIES_DIR=${1:?usage: post-image.sh BINARIES_DIR MODEL}
MODEL=${2:?usage: post-image.sh BINARIES_DIR MODEL}
BOARD_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BOARD_DIR/../../.." && pwd)

case "$MODEL" in
	pi-zero-w) NAME="Raspberry Pi Zero W" ;;
	pi-zero-2-w) NAME="Raspberry Pi Zero 2 W" ;;
	pi-3) NAME="Raspberry Pi 3" ;;
	pi-4) NAME="Raspberry Pi 4" ;;
	*)
		echo "post-image.sh: unknown board model \"$MODEL\"" >&2
		exit 1
		;;
esac

# handset.toml: the example, set for this board. Fail loudly if the example
# no longer has the lines to change.
example="$REPO_DIR/handset.example.toml"
body=$(sed -e "s/^model = \"sim\"\$/model = \"$MODEL\"/" \
	-e 's|^watchdog = ""$|watchdog = "/dev/watchdog"|' "$example")
if ! grep -qx "model = \"$MODEL\"" <<<"$body" || ! grep -qx 'watchdog = "/dev/watchdog"' <<<"$body"; then
	echo "post-image.sh: $example has no 'model = \"sim\"' or 'watchdog = \"\"' line to set" >&2
	exit 1
fi
{
	cat <<HEADER
# handset.toml: the configuration of this phone, a $NAME.
#
# Edit it on any computer: this is the SD card's HANDSET drive. Fill in at
# least [account] (your SIP account) and, for Wi-Fi, [wifi]. [board] model
# and watchdog are already set for this board. Save it, put the card back
# into the phone and switch it on. README.txt next to this file says more.
#
HEADER
	printf '%s\n' "$body"
} >"$BINARIES_DIR/handset.toml"
cp "$BOARD_DIR/README.txt" "$BINARIES_DIR/README.txt"

# The boot partition's files, as Buildroot's own Raspberry Pi script lists
# them, plus ours.
files=()
for f in "$BINARIES_DIR"/*.dtb "$BINARIES_DIR"/rpi-firmware/*; do
	[ -e "$f" ] && files+=("${f#"$BINARIES_DIR"/}")
done
kernel=$(sed -n 's/^kernel=//p' "$BINARIES_DIR/rpi-firmware/config.txt")
files+=("$kernel" handset.toml README.txt)
list=$(printf '\t\t\t"%s",\\n' "${files[@]}")
cfg="$BINARIES_DIR/genimage.cfg"
sed "s|#BOOT_FILES#|${list}|" "$BOARD_DIR/genimage.cfg.in" >"$cfg"

rootpath=$(mktemp -d)
trap 'rm -rf "$rootpath"' EXIT
tmp="${BUILD_DIR:?BUILD_DIR is not set}/genimage.tmp"
rm -rf "$tmp"
genimage \
	--rootpath "$rootpath" \
	--tmppath "$tmp" \
	--inputpath "$BINARIES_DIR" \
	--outputpath "$BINARIES_DIR" \
	--config "$cfg"
