package provision

import (
	"fmt"
	"net"
	"slices"
	"strings"
)

// LocalMAC returns the MAC address that names this phone's own file on the
// server, in lower-case hex without colons (b827eb12a4f0): eth0's if there
// is one, else wlan0's, else that of the first other interface, by name,
// with a 6-byte address.
func LocalMAC() (string, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return "", fmt.Errorf("list network interfaces: %w", err)
	}
	return pickMAC(ifs)
}

// pickMAC chooses among ifs as LocalMAC says.
func pickMAC(ifs []net.Interface) (string, error) {
	rank := func(ifc net.Interface) int {
		switch ifc.Name {
		case "eth0":
			return 0
		case "wlan0":
			return 1
		}
		return 2
	}
	usable := slices.DeleteFunc(slices.Clone(ifs), func(ifc net.Interface) bool {
		return ifc.Flags&net.FlagLoopback != 0 || len(ifc.HardwareAddr) != 6 || isZero(ifc.HardwareAddr)
	})
	if len(usable) == 0 {
		return "", ErrNoMAC
	}
	best := slices.MinFunc(usable, func(a, b net.Interface) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
	return FormatMAC(best.HardwareAddr), nil
}

// FormatMAC writes a MAC address as the server's file names use it: lower
// case hex without separators.
func FormatMAC(hw net.HardwareAddr) string {
	return strings.ReplaceAll(strings.ToLower(hw.String()), ":", "")
}

func isZero(b []byte) bool {
	return !slices.ContainsFunc(b, func(x byte) bool { return x != 0 })
}
