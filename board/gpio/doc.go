// Package gpio takes the phone's GPIO lines from the kernel's GPIO character
// device (/dev/gpiochip*) through periph's gpioioctl driver, and hands them
// out behind the small Line interface the board drivers use.
//
// A line is named by a config.Pin in one of three ways: a chip (its device
// name such as "gpiochip0" or its label such as "pinctrl-bcm2835") and a
// line offset, a chip and a line name, or a bare line name searched across
// every chip. Global aliases from periph's gpioreg are never used: which
// driver serves a global name depends on the device tree and /dev/gpiomem.
//
// A missing, ambiguous or busy line is an error that names the line
// (ErrNoLine, ErrAmbiguous, ErrBusy). periph's errors are wrapped into ours.
//
// Ownership: whoever takes a Line closes it. board.Open releases every line
// it took when it fails (or panics) half way, and Hardware.Close releases
// the rest; callers should defer Close so a panic that unwinds main still
// frees the lines. The kernel frees them in any case when the process exits.
//
// periph keeps one process-wide list of chips, so open one Chips per
// process. On systems other than Linux, OpenChips reports ErrUnsupported.
//
// gpio imports handset/config, periph's conn and host/gpioioctl packages and
// the standard library. Package gpiotest holds fake lines for tests.
package gpio
