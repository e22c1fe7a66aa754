// Package board runs the phone on a Raspberry Pi: the keypad matrix, the
// hook switch, the ringer and the status LEDs on GPIO lines (package
// board/gpio, periph's gpioioctl driver on the GPIO character device), and
// the hardware watchdog (package board/watchdog). The ALSA sound card is in
// board/alsa.
//
// Open builds every part for a board model from the [board] section:
// Resolve merges the model's Profile (its default pins) with the pins the
// configuration sets, and WiringDoc renders the default wiring of every
// profile for docs/WIRING.md.
//
// The parts implement the hal interfaces:
//   - Keypad (hal.Keypad) scans the matrix 100 times a second, rows driven
//     low one at a time, columns read through pull-ups; keys debounce over
//     3 scans, report once on release (Long after 800 ms held), and ghost
//     keys of three keys held in a rectangle are suppressed. Volume keys
//     are reported as hal.KeyVolumeUp and hal.KeyVolumeDown.
//   - Hook (hal.HookSwitch) polls the hook line every 5 ms, debounces over
//     20 ms and tells bounce, hook flash and hang-up apart by the length of
//     the on-hook; a hang-up is reported flash_max after the handset went
//     down.
//   - Bell (hal.Bell) switches the ringer line on and off; call control
//     plays the cadence.
//   - Lamps (hal.Lamps) drives the LEDs and runs their blink patterns on
//     one timer.
//
// Every loop runs on the injected hal.Clock (AfterFunc callbacks, never two
// of one part at once) and logs to the injected *slog.Logger.
//
// board imports handset/hal, handset/config, its own sub-packages, periph
// (through board/gpio) and golang.org/x/sys (through board/watchdog); never
// sipstack, callcontrol or mediapath.
package board
