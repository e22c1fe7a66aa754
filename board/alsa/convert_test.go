package alsa

import (
	"bytes"
	"slices"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name          string
		src           []byte
		frames, devCh int
		sb            int
		outCh         int
		want          []int16
	}{
		{"S16 mono", []byte{0x01, 0x00, 0xff, 0xff, 0x00, 0x80}, 3, 1, 2, 1, []int16{1, -1, -32768}},
		{"S16 stereo kept", []byte{0x01, 0x00, 0x02, 0x00}, 1, 2, 2, 2, []int16{1, 2}},
		{"S16 stereo to mono", []byte{0x64, 0x00, 0x2c, 0x01, 0x00, 0x80, 0x00, 0x80}, 2, 2, 2, 1, []int16{200, -32768}},
		{"S32 mono, top 16 bits", []byte{0xff, 0xff, 0x34, 0x12, 0x00, 0x00, 0xff, 0xff}, 2, 1, 4, 1, []int16{0x1234, -1}},
		{"S32 stereo to mono", []byte{0, 0, 10, 0, 0, 0, 20, 0}, 1, 2, 4, 1, []int16{15}},
	}
	for _, tt := range tests {
		got := make([]int16, tt.frames*tt.outCh)
		decode(got, tt.src, tt.frames, tt.devCh, tt.sb)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		name          string
		src           []int16
		frames, devCh int
		sb            int
		want          []byte
	}{
		{"S16 mono", []int16{1, -1}, 2, 1, 2, []byte{0x01, 0x00, 0xff, 0xff}},
		{"S16 stereo kept", []int16{1, 2}, 1, 2, 2, []byte{0x01, 0x00, 0x02, 0x00}},
		{"S16 mono to stereo", []int16{0x1234}, 1, 2, 2, []byte{0x34, 0x12, 0x34, 0x12}},
		{"S32 mono", []int16{-2}, 1, 1, 4, []byte{0x00, 0x00, 0xfe, 0xff}},
		{"S32 mono to stereo", []int16{1}, 1, 2, 4, []byte{0, 0, 1, 0, 0, 0, 1, 0}},
	}
	for _, tt := range tests {
		got := make([]byte, tt.frames*tt.devCh*tt.sb)
		encode(got, tt.src, tt.frames, tt.devCh, tt.sb)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: % x, want % x", tt.name, got, tt.want)
		}
	}
}
