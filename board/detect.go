package board

import (
	"os"
	"strings"

	"handset/config"
)

// DeviceTreeModel is where Linux on a Raspberry Pi names the board.
const DeviceTreeModel = "/proc/device-tree/model"

// DetectModel names the board from its device-tree model string (e.g.
// "Raspberry Pi Zero W Rev 1.1"). It lets a phone whose configuration is
// missing or broken still drive its hook, lamps and earpiece with the
// board's default wiring, to say what is wrong. ok is false off a Pi.
func DetectModel(path string) (m config.Model, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	return modelFromString(strings.TrimRight(string(b), "\x00\n"))
}

func modelFromString(s string) (config.Model, bool) {
	switch {
	case strings.HasPrefix(s, "Raspberry Pi Zero 2 W"):
		return config.ModelPiZero2W, true
	case strings.HasPrefix(s, "Raspberry Pi Zero W"):
		return config.ModelPiZeroW, true
	case strings.HasPrefix(s, "Raspberry Pi 3"):
		return config.ModelPi3, true
	case strings.HasPrefix(s, "Raspberry Pi 4"):
		return config.ModelPi4, true
	}
	return "", false
}
