package alsa

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"testing"
)

var (
	lp64  = ctlABI{long: 8}
	ilp32 = ctlABI{long: 4}
)

func TestCtlSizesAndRequests(t *testing.T) {
	tests := []struct {
		abi                      ctlABI
		list, value              int
		reqList, reqRead, reqWri uintptr
	}{
		{lp64, 80, 1224, 0xC0505510, 0xC4C85512, 0xC4C85513},
		{ilp32, 72, 712, 0xC0485510, 0xC2C85512, 0xC2C85513},
	}
	for i, tt := range tests {
		if got := tt.abi.listSize(); got != tt.list {
			t.Errorf("#%d: listSize = %d, want %d", i, got, tt.list)
		}
		if got := tt.abi.valueSize(); got != tt.value {
			t.Errorf("#%d: valueSize = %d, want %d", i, got, tt.value)
		}
		for _, r := range []struct{ got, want uintptr }{
			{tt.abi.reqList(), tt.reqList},
			{tt.abi.reqRead(), tt.reqRead},
			{tt.abi.reqWrite(), tt.reqWri},
			{tt.abi.reqInfo(), 0xC1105511},
			{tt.abi.reqCardInfo(), 0x81785501},
		} {
			if r.got != r.want {
				t.Errorf("#%d: request %#x, want %#x", i, r.got, r.want)
			}
		}
	}
	if nativeLong != strconv.IntSize/8 {
		t.Errorf("nativeLong = %d on a %d-bit build", nativeLong, strconv.IntSize)
	}
}

// le builds bytes by hand: each call puts v at off with width bytes.
type le []byte

func (b le) put(off, width int, v int64) le {
	if width == 4 {
		binary.NativeEndian.PutUint32(b[off:], uint32(v))
	} else {
		binary.NativeEndian.PutUint64(b[off:], uint64(v))
	}
	return b
}

func TestEncodeList(t *testing.T) {
	for _, tt := range []struct {
		abi  ctlABI
		want le
	}{
		{lp64, le(make([]byte, 80)).put(4, 4, 7).put(16, 8, 0x8765_4321)},
		{ilp32, le(make([]byte, 72)).put(4, 4, 7).put(16, 4, 0x8765_4321)},
	} {
		got := bytes.Repeat([]byte{0xee}, tt.abi.listSize())
		tt.abi.encodeList(got, 7, 0x8765_4321)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("long %d: encodeList =\n% x\nwant\n% x", tt.abi.long, got, []byte(tt.want))
		}
		le(got).put(8, 4, 5).put(12, 4, 9)
		if used, count := decodeList(got); used != 5 || count != 9 {
			t.Errorf("long %d: decodeList = %d, %d; want 5, 9", tt.abi.long, used, count)
		}
	}
}

func TestDecodeInfo(t *testing.T) {
	// An integer element, 2 values, range -6400..0 step 50, read-write:
	// type @64, access @68, count @72, min/max/step longs from @80.
	for _, abi := range []ctlABI{lp64, ilp32} {
		L := abi.long
		b := le(make([]byte, infoSize)).put(64, 4, typeInteger).put(68, 4, rw).put(72, 4, 2).
			put(80, L, -6400).put(80+L, L, 0).put(80+2*L, L, 50)
		got := abi.decodeInfo(b)
		want := elemInfo{typ: typeInteger, access: rw, count: 2, min: -6400, max: 0, step: 50}
		if got != want {
			t.Errorf("long %d: decodeInfo = %+v, want %+v", L, got, want)
		}
	}
	// A boolean carries no range.
	b := le(make([]byte, infoSize)).put(64, 4, typeBoolean).put(72, 4, 1).put(80, 8, 99)
	if got := lp64.decodeInfo(b); got.min != 0 || got.max != 0 || got.count != 1 {
		t.Errorf("boolean decodeInfo = %+v", got)
	}
}

func TestEncodeDecodeValue(t *testing.T) {
	var id elemID
	for i := range id {
		id[i] = byte(i + 1)
	}
	for _, abi := range []ctlABI{lp64, ilp32} {
		L := abi.long
		want := le(make([]byte, abi.valueSize()))
		copy(want, id[:])
		want.put(72, L, 70).put(72+L, L, -3)
		got := bytes.Repeat([]byte{0xee}, abi.valueSize())
		abi.encodeValue(got, &id, []int64{70, -3})
		if !bytes.Equal(got, want) {
			t.Errorf("long %d: encodeValue differs from the hand-built layout", L)
		}
		if vals := abi.decodeValues(want, 2); vals[0] != 70 || vals[1] != -3 {
			t.Errorf("long %d: decodeValues = %v", L, vals)
		}
	}
}

func TestElemIDAndCardInfo(t *testing.T) {
	b := le(make([]byte, idSize)).put(0, 4, 12).put(4, 4, ifaceMixer).put(8, 4, 1).put(12, 4, 2).put(60, 4, 3)
	copy(b[16:], "Master Playback Volume")
	var id elemID
	copy(id[:], b)
	if id.numid() != 12 || id.iface() != ifaceMixer || id.device() != 1 || id.subdevice() != 2 ||
		id.index() != 3 || id.name() != "Master Playback Volume" {
		t.Errorf("elemID = %d %d %d %d %d %q", id.numid(), id.iface(), id.device(), id.subdevice(), id.index(), id.name())
	}

	ci := make([]byte, cardInfoSize)
	copy(ci[8:], "Headset")
	copy(ci[24:], "USB-Audio")
	copy(ci[40:], "USB Headset")
	copy(ci[72:], "Logitech USB Headset at usb-1.3")
	copy(ci[168:], "USB Mixer")
	got := decodeCardInfo(ci)
	want := cardIdentity{ID: "Headset", Driver: "USB-Audio", Name: "USB Headset", LongName: "Logitech USB Headset at usb-1.3", MixerName: "USB Mixer"}
	if got != want {
		t.Errorf("decodeCardInfo = %+v, want %+v", got, want)
	}
	// A field that fills its array has no NUL.
	full := make([]byte, cardInfoSize)
	copy(full[8:24], "0123456789abcdef")
	if got := decodeCardInfo(full).ID; got != "0123456789abcdef" {
		t.Errorf("full id = %q", got)
	}
}
