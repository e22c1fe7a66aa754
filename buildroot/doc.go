// Package buildroot holds no Go code. The directory is the Buildroot
// external tree (BR2_EXTERNAL) that builds the phone's SD-card image; see
// docs/IMAGE.md. Its tests check the tree without Buildroot: post-build.sh
// is idempotent, the defconfigs name files that exist and the settings the
// image relies on, the scripts pass shellcheck (when it is installed). With
// HANDSET_BUILDROOT set to an unpacked Buildroot 2026.05.1 they also run
// scripts/check-buildroot.
//
// It imports nothing of ours.
package buildroot
