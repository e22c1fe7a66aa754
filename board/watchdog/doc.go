// Package watchdog feeds the hardware watchdog (/dev/watchdog, about 15 s
// at most on the BCM2835) only while the phone's own loops show progress.
//
// Each loop that matters (the audio pump, the SIP side, the input scan)
// registers a liveness source with Register and calls the returned beat
// function whenever it makes progress. Every ping period (2 s) the watchdog
// checks every source: if each has beaten within its deadline it pings the
// device, else it logs which source stalled and stops pinging, so the board
// resets once the hardware timeout (10 s) runs out. A source that recovers
// in time resumes the feeding. Close writes the magic character 'V' before
// closing the device, so a clean shutdown does not reset the board (unless
// the kernel was built with nowayout).
//
// Beats are lock-free and allocate nothing, so the 20 ms media loop may
// call one every period. Time is measured on the injected clock's monotonic
// reading, so the clock being set at boot (NTP) does not look like a stall.
//
// The device is driven with the WDIOC_* ioctls of golang.org/x/sys/unix
// (Linux only). watchdog imports handset/hal and x/sys.
package watchdog
