// Package emu checks the phone's hardware drivers against the kernel's real
// drivers without a Pi: Debian's arm64 kernel boots under QEMU (software
// emulation) with an emulated HDA sound card, snd-aloop and a gpio-sim GPIO
// chip, and runs our ARM binaries (arm64 and 32-bit armv6) inside it.
//
// The pieces:
//   - scripts/emu/prepare builds and caches the kernel, modules and initramfs;
//   - emu/guest is the program that runs in the guest: it drives board and
//     board/alsa and writes a Report per check to the shared folder;
//   - the tests of this package (emu_test.go and beside it) build the
//     binaries, start a private PulseAudio daemon for the sound card, boot
//     QEMU and judge what came back: the reports, and the audio the guest
//     played, analysed on the host with mediapath/detect.
//
// The tests run only when HANDSET_EMU=1 (scripts/test sets it and runs
// them on their own, after the rest of the suite): they take minutes and
// must not share the two cores with other tests' real-time audio. By hand:
//
//	HANDSET_EMU=1 go test -v ./internal/emu/
//
// HANDSET_EMU_KEEP=1 keeps each check's shared folder (reports, logs,
// recordings); HANDSET_EMU_CACHE moves the download and build cache from
// ~/.cache/handset-emu.
//
// This file's package holds only what the guest and the host share: the
// Report written by the guest. It may import handset/hal.
package emu
