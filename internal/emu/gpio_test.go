package emu_test

import (
	"strconv"
	"testing"
	"time"
)

// simLines are the gpio-sim lines run.sh makes, in offset order; the
// board's configuration names them.
var simLines = []string{"HOOK", "ROW0", "ROW1", "ROW2", "ROW3", "COL0", "COL1", "COL2", "COL3",
	"RINGER", "LED_REG", "LED_CALL", "LED_MSG", "LED_ERR", "VOL_UP", "VOL_DOWN"}

// makeChip is the part of run.sh that makes the gpio-sim chip "pinctrl-emu"
// (a "pinctrl-" label, as a Pi's chip has) with named lines.
func makeChip() string {
	s := `CFG=/sys/kernel/config/gpio-sim/phone
mkdir $CFG $CFG/bank0 || exit 1
echo 16 > $CFG/bank0/num_lines
echo pinctrl-emu > $CFG/bank0/label
`
	for i, n := range simLines {
		l := "$CFG/bank0/line" + strconv.Itoa(i)
		s += "mkdir " + l + " && echo " + n + " > " + l + "/name\n"
	}
	return s + "echo 1 > $CFG/live || exit 1\n"
}

// boardConfig wires every line of the chip: model "none" takes only these.
const boardConfig = `version = 1
[board]
model = "none"
hook = "pinctrl-emu:HOOK"
keypad_rows = ["pinctrl-emu:ROW0", "pinctrl-emu:ROW1", "pinctrl-emu:ROW2", "pinctrl-emu:ROW3"]
keypad_cols = ["pinctrl-emu:COL0", "pinctrl-emu:COL1", "pinctrl-emu:COL2", "pinctrl-emu:COL3"]
flash_min_ms = 300
flash_max_ms = 1200
ringer = "pinctrl-emu:RINGER"
led_registered = "pinctrl-emu:LED_REG"
led_in_call = "pinctrl-emu:LED_CALL"
led_message = "pinctrl-emu:LED_MSG"
led_error = "pinctrl-emu:LED_ERR"
volume_up = "pinctrl-emu:VOL_UP"
volume_down = "pinctrl-emu:VOL_DOWN"
`

// TestGPIO runs board's drivers on a gpio-sim chip through the GPIO
// character device, with the arm64 and the 32-bit armv6 binary. The guest
// works the hook contact and the keys from outside and checks what the
// board reports and drives; the host fails on each check that failed.
func TestGPIO(t *testing.T) {
	e := setup(t)
	start := time.Now()
	run := makeChip() + `rc=0
./bin/guest-arm64 gpio --config board.toml --name gpio-arm64 2>out/gpio-arm64.log || rc=1
./bin/guest-armv6 gpio --config board.toml --name gpio-armv6 2>out/gpio-armv6.log || rc=1
exit $rc
`
	share := e.share(t, run, map[string]string{"board.toml": boardConfig}, "guest-arm64", "guest-armv6")
	rc := guest{share: share, timeout: 3 * time.Minute}.run(t, e)
	t.Logf("guest run: %v", time.Since(start).Round(time.Millisecond))
	for _, name := range []string{"gpio-arm64", "gpio-armv6"} {
		t.Run(name, func(t *testing.T) {
			rep := readReport(t, share, name)
			for _, c := range rep.Checks {
				if c.Took > 0 {
					t.Logf("%s: %s took %v", rep.Arch, c.Name, c.Took.Round(time.Millisecond))
				}
			}
		})
	}
	if rc != 0 && !t.Failed() {
		t.Errorf("run.sh exited %d", rc)
	}
}
