package provision

import (
	"errors"
	"net"
	"testing"
)

func TestPickMAC(t *testing.T) {
	hw := func(s string) net.HardwareAddr {
		a, err := net.ParseMAC(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	lo := net.Interface{Name: "lo", Flags: net.FlagLoopback, HardwareAddr: hw("00:00:00:00:00:01")}
	eth0 := net.Interface{Name: "eth0", HardwareAddr: hw("B8:27:EB:12:A4:F0")}
	wlan0 := net.Interface{Name: "wlan0", HardwareAddr: hw("b8:27:eb:99:00:01")}
	usb0 := net.Interface{Name: "usb0", HardwareAddr: hw("02:11:22:33:44:55")}
	enx := net.Interface{Name: "enx001122", HardwareAddr: hw("00:11:22:33:44:66")}
	tun := net.Interface{Name: "tun0"}
	zero := net.Interface{Name: "eth0", HardwareAddr: hw("00:00:00:00:00:00")}
	long := net.Interface{Name: "ib0", HardwareAddr: hw("00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01")}
	tests := []struct {
		name string
		ifs  []net.Interface
		want string
	}{
		{"eth0 first", []net.Interface{lo, wlan0, eth0}, "b827eb12a4f0"},
		{"then wlan0", []net.Interface{usb0, wlan0, lo}, "b827eb990001"},
		{"then by name", []net.Interface{usb0, enx, tun}, "001122334466"},
		{"zero and odd addresses skipped", []net.Interface{zero, long, usb0}, "021122334455"},
		{"none", []net.Interface{lo, tun, long}, ""},
	}
	for _, tt := range tests {
		got, err := pickMAC(tt.ifs)
		if tt.want == "" {
			if !errors.Is(err, ErrNoMAC) {
				t.Errorf("%s: %q, %v; want ErrNoMAC", tt.name, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}
