// Command guest runs inside the QEMU test guest (see package handset/internal/emu)
// and checks the phone's hardware drivers against the kernel's real ones:
//
//	guest audio --config F --name N --tone HZ ...   board/alsa on a real card
//	guest gpio --config F --name N                  board on a gpio-sim chip
//	guest phone --config F --far BIN ...            a whole phone on real hardware
//
// Each writes out/NAME.json (an emu.Report) and exits 1 when a check failed.
// It drives the simulated outside world (the hook contact, keys, the far
// phone) itself through gpio-sim's sysfs files and a second, simulated
// phone. It may import anything of ours but cmd.
package main
