package config

import "testing"

func TestParsePin(t *testing.T) {
	tests := []struct {
		in   string
		want Pin
		bad  bool
	}{
		{"", Pin{}, false},
		{"GPIO17", Pin{Name: "GPIO17"}, false},
		{"gpiochip0:17", Pin{Chip: "gpiochip0", Offset: 17}, false},
		{"gpiochip4:0", Pin{Chip: "gpiochip4", Offset: 0}, false},
		{"pinctrl-bcm2835:GPIO17", Pin{Chip: "pinctrl-bcm2835", Name: "GPIO17"}, false},
		{"SPI_CE0_N", Pin{Name: "SPI_CE0_N"}, false},
		{"17", Pin{}, true},
		{"GPIO 17", Pin{}, true},
		{":17", Pin{}, true},
		{"gpiochip0:", Pin{}, true},
		{"gpiochip0:17:1", Pin{}, true},
		{"gpiochip0:10000", Pin{}, true},
		{"chip:-1", Pin{}, true},
	}
	for i, tt := range tests {
		got, err := parsePin(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("#%d parsePin(%q) = %+v, %v; want %+v, error %v", i, tt.in, got, err, tt.want, tt.bad)
			continue
		}
		if !tt.bad && got.String() != tt.in {
			t.Errorf("#%d %+v.String() = %q, want %q", i, got, got.String(), tt.in)
		}
		if !tt.bad && got.IsZero() != (tt.in == "") {
			t.Errorf("#%d %q: IsZero = %v", i, tt.in, got.IsZero())
		}
	}
}

func TestParsePCMDevice(t *testing.T) {
	tests := []struct {
		in   string
		want PCMDevice
		bad  bool
	}{
		{"", PCMDevice{}, false},
		{"hw:0,0", PCMDevice{Card: "0", Device: 0}, false},
		{"hw:1,3", PCMDevice{Card: "1", Device: 3}, false},
		{"hw:Headset,0", PCMDevice{Card: "Headset", Device: 0}, false},
		{"hw:1", PCMDevice{}, true},
		{"hw:,0", PCMDevice{}, true},
		{"hw:1,x", PCMDevice{}, true},
		{"hw:1,32", PCMDevice{}, true},
		{"hw:my card,0", PCMDevice{}, true},
		{"plughw:1,0", PCMDevice{}, true},
		{"default", PCMDevice{}, true},
		{"1,0", PCMDevice{}, true},
	}
	for i, tt := range tests {
		got, err := parsePCMDevice(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("#%d parsePCMDevice(%q) = %+v, %v; want %+v, error %v", i, tt.in, got, err, tt.want, tt.bad)
			continue
		}
		if !tt.bad && got.String() != tt.in {
			t.Errorf("#%d %+v.String() = %q, want %q", i, got, got.String(), tt.in)
		}
	}
}
