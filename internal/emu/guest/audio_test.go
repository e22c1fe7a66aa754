package main

import (
	"reflect"
	"testing"

	"handset/board/alsa"
	"handset/internal/emu"
)

func TestCheckUnmuted(t *testing.T) {
	const (
		mixer   = 2
		pcm     = 3
		boolean = 1
		integer = 2
	)
	vol := func(name string, v ...int64) alsa.Control {
		return alsa.Control{Iface: mixer, Name: name, Type: integer, Writable: true, Min: 0, Max: 74, Values: v}
	}
	sw := func(name string, v ...int64) alsa.Control {
		return alsa.Control{Iface: mixer, Name: name, Type: boolean, Writable: true, Values: v}
	}
	chmap := alsa.Control{Iface: pcm, Name: "Playback Channel Map", Type: integer, Values: []int64{0, 0}}
	jack := alsa.Control{Iface: mixer, Name: "Line Phantom Jack", Type: boolean, Values: []int64{0}}
	for _, c := range []struct {
		name string
		cs   []alsa.Control
		want bool
	}{
		{"unmuted", []alsa.Control{vol("Master Playback Volume", 70, 70), sw("Master Playback Switch", 1, 1),
			vol("Capture Volume", 74, 74), sw("Capture Switch", 1, 1), chmap, jack}, true},
		{"fresh HDA card", []alsa.Control{vol("Master Playback Volume", 0, 0), sw("Master Playback Switch", 0, 0)}, false},
		{"one channel off", []alsa.Control{sw("Master Playback Switch", 1, 0)}, false},
		{"capture at zero", []alsa.Control{vol("Capture Volume", 0, 0), sw("Capture Switch", 1, 1)}, false},
		{"no controls (snd-aloop)", nil, true},
		{"read-only and PCM controls are not the mixer's", []alsa.Control{chmap, jack}, true},
	} {
		rep := &emu.Report{}
		if got := checkUnmuted(rep, "unmuted", c.cs); got != c.want || len(rep.Checks) != 1 || rep.Checks[0].OK != c.want {
			t.Errorf("%s: %v, checks %+v; want %v", c.name, got, rep.Checks, c.want)
		}
	}
}

func TestFirstChannel(t *testing.T) {
	for _, c := range []struct {
		in   []int16
		ch   int
		want []int16
	}{
		{[]int16{1, 2, 3}, 1, []int16{1, 2, 3}},
		{[]int16{1, -1, 2, -2, 3, -3}, 2, []int16{1, 2, 3}},
		{[]int16{1, -1, 2}, 2, []int16{1}}, // a partial frame is dropped
	} {
		if got := firstChannel(c.in, c.ch); !reflect.DeepEqual(got, c.want) {
			t.Errorf("firstChannel(%v, %d) = %v, want %v", c.in, c.ch, got, c.want)
		}
	}
}
