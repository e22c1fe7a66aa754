#!/bin/sh
# Post-build step of the handset image, run by Buildroot after the stock
# Raspberry Pi one, with $1 = TARGET_DIR. It can run any number of times and
# leaves the same result: it removes what it added before adding it again.
#
#  - fstab mounts the boot partition (p1, FAT) read-only on /boot, with
#    handset.toml readable by root only, and the data partition (p3, ext4)
#    on /data; the root filesystem (p2) stays read-only;
#  - init starts the phone and restarts it whenever it ends
#    (handset-supervise);
#  - root's SSH keys are read from the boot partition at boot (S50dropbear).

set -eu

TARGET_DIR=${1:?usage: post-build.sh TARGET_DIR [MODEL]}

fstab="$TARGET_DIR/etc/fstab"
sed -i \
	-e '/^[^#[:space:]][^[:space:]]*[[:space:]][[:space:]]*\/boot[[:space:]]/d' \
	-e '/^[^#[:space:]][^[:space:]]*[[:space:]][[:space:]]*\/data[[:space:]]/d' \
	"$fstab"
printf '%s\n' \
	'/dev/mmcblk0p1	/boot	vfat	ro,noatime,nodev,nosuid,noexec,fmask=0177,dmask=0077	0	0' \
	'/dev/mmcblk0p3	/data	ext4	rw,noatime,nodev,nosuid,noexec	0	0' \
	>>"$fstab"
mkdir -p "$TARGET_DIR/boot" "$TARGET_DIR/data"

inittab="$TARGET_DIR/etc/inittab"
sed -i '/handset-supervise/d' "$inittab"
printf '%s\n' '::respawn:/usr/sbin/handset-supervise' >>"$inittab"

rm -rf "$TARGET_DIR/root/.ssh"
mkdir -p "$TARGET_DIR/root"
ln -s /run/handset/ssh "$TARGET_DIR/root/.ssh"
