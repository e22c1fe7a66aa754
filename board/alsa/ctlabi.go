package alsa

import (
	"bytes"
	"encoding/binary"
	"unsafe"
)

// This file lays out the structs of the ALSA control interface
// (/dev/snd/controlC<N>) byte by byte, for both C ABIs the phone runs on:
// LP64 (amd64, arm64: long and pointers are 8 bytes) and ILP32 (32-bit
// ARM, also a 32-bit binary on an arm64 kernel through its compat layer:
// long and pointers are 4 bytes, long long is 8-byte aligned). The field
// lists are those of the kernel's include/uapi/sound/asound.h. Integers
// are in the machine's byte order.

// An ioctl request number is dir<<30 | size<<16 | type<<8 | nr
// (include/uapi/asm-generic/ioctl.h, which x86, arm and arm64 all use).
const (
	iocWrite = 1 // _IOW: the kernel reads the argument
	iocRead  = 2 // _IOR: the kernel writes the argument

	ctlType = 'U' // control ioctls
	pcmType = 'A' // PCM ioctls
)

// ioc builds an ioctl request number.
func ioc(dir, typ, nr, size uintptr) uintptr {
	return dir<<30 | size<<16 | typ<<8 | nr
}

// Control ioctls (their nr) and the fixed struct sizes.
const (
	// SNDRV_CTL_IOCTL_CARD_INFO = _IOR('U', 0x01, struct snd_ctl_card_info)
	// = 0x81785501 on every ABI.
	ctlCardInfo = 0x01
	// SNDRV_CTL_IOCTL_ELEM_LIST = _IOWR('U', 0x10, struct snd_ctl_elem_list)
	// = 0xC0505510 (LP64) or 0xC0485510 (ILP32).
	ctlElemList = 0x10
	// SNDRV_CTL_IOCTL_ELEM_INFO = _IOWR('U', 0x11, struct snd_ctl_elem_info)
	// = 0xC1105511 on every ABI.
	ctlElemInfo = 0x11
	// SNDRV_CTL_IOCTL_ELEM_READ = _IOWR('U', 0x12, struct snd_ctl_elem_value)
	// = 0xC4C85512 (LP64) or 0xC2C85512 (ILP32).
	ctlElemRead = 0x12
	// SNDRV_CTL_IOCTL_ELEM_WRITE = _IOWR('U', 0x13, struct snd_ctl_elem_value)
	// = 0xC4C85513 (LP64) or 0xC2C85513 (ILP32).
	ctlElemWrite = 0x13

	// struct snd_ctl_card_info (376 bytes):
	//	int card;                    @0
	//	int pad;                     @4
	//	unsigned char id[16];        @8
	//	unsigned char driver[16];    @24
	//	unsigned char name[32];      @40
	//	unsigned char longname[80];  @72
	//	unsigned char reserved_[16]; @152
	//	unsigned char mixername[80]; @168
	//	unsigned char components[128]; @248
	cardInfoSize = 376

	// struct snd_ctl_elem_id (64 bytes):
	//	unsigned int numid;     @0  numeric identifier, 0 = invalid
	//	int iface;              @4  SNDRV_CTL_ELEM_IFACE_*
	//	unsigned int device;    @8
	//	unsigned int subdevice; @12
	//	unsigned char name[44]; @16
	//	unsigned int index;     @60
	idSize = 64

	// struct snd_ctl_elem_info (272 bytes on both ABIs):
	//	struct snd_ctl_elem_id id; @0
	//	int type;                  @64 SNDRV_CTL_ELEM_TYPE_*
	//	unsigned int access;       @68 SNDRV_CTL_ELEM_ACCESS_*
	//	unsigned int count;        @72 values in the element
	//	pid_t owner;               @76
	//	union {                    @80, 128 bytes
	//		struct { long min, max, step; } integer;
	//		struct { long long min, max, step; } integer64;
	//		struct { unsigned int items, item; char name[64]; ... } enumerated;
	//	} value;
	//	unsigned char reserved[64]; @208
	infoSize = 272

	// The element types (SNDRV_CTL_ELEM_TYPE_*) and interface
	// (SNDRV_CTL_ELEM_IFACE_MIXER) this package handles.
	typeBoolean = 1
	typeInteger = 2
	ifaceMixer  = 2

	// Access bits (SNDRV_CTL_ELEM_ACCESS_*).
	accessRead     = 1 << 0
	accessWrite    = 1 << 1
	accessInactive = 1 << 8

	// maxValues is the room of snd_ctl_elem_value: long value[128].
	maxValues = 128
)

// nativeLong is sizeof(long) (and of a pointer) for the running binary.
const nativeLong = int(unsafe.Sizeof(uintptr(0)))

// ctlABI is the control struct layout of one C ABI.
type ctlABI struct {
	long int // sizeof(long) == sizeof(void *): 8 on LP64, 4 on ILP32
}

// nativeABI is the layout of the running binary.
func nativeABI() ctlABI { return ctlABI{long: nativeLong} }

// listSize is sizeof(struct snd_ctl_elem_list):
//
//	unsigned int offset;   @0  W: first element to get
//	unsigned int space;    @4  W: room for this many ids at pids
//	unsigned int used;     @8  R: ids written
//	unsigned int count;    @12 R: elements of the card
//	struct snd_ctl_elem_id *pids; @16 (a pointer: 8 or 4 bytes)
//	unsigned char reserved[50];
//
// 16+8+50 = 74, padded to 8: 80 bytes on LP64; 16+4+50 = 70, padded to 4:
// 72 bytes on ILP32.
func (a ctlABI) listSize() int {
	n := 16 + a.long + 50
	return (n + a.long - 1) / a.long * a.long
}

// valueSize is sizeof(struct snd_ctl_elem_value):
//
//	struct snd_ctl_elem_id id;  @0
//	unsigned int indirect:1;    @64 (obsolete)
//	union {                     @72 (8-byte aligned: it holds long long)
//		long integer.value[128];
//		long long integer64.value[64];
//		unsigned int enumerated.item[128];
//		unsigned char bytes.data[512];
//		struct snd_aes_iec958 iec958;
//	} value;                    1024 bytes on LP64, 512 on ILP32
//	unsigned char reserved[128];
//
// 72+1024+128 = 1224 bytes on LP64, 72+512+128 = 712 on ILP32.
func (a ctlABI) valueSize() int { return valueOffset + maxValues*a.long + 128 }

// valueOffset is where snd_ctl_elem_value's values start on both ABIs.
const valueOffset = 72

// infoIntOffset is where snd_ctl_elem_info's value.integer starts.
const infoIntOffset = 80

func (a ctlABI) reqCardInfo() uintptr {
	return ioc(iocRead, ctlType, ctlCardInfo, cardInfoSize)
}
func (a ctlABI) reqList() uintptr {
	return ioc(iocRead|iocWrite, ctlType, ctlElemList, uintptr(a.listSize()))
}
func (a ctlABI) reqInfo() uintptr {
	return ioc(iocRead|iocWrite, ctlType, ctlElemInfo, infoSize)
}
func (a ctlABI) reqRead() uintptr {
	return ioc(iocRead|iocWrite, ctlType, ctlElemRead, uintptr(a.valueSize()))
}
func (a ctlABI) reqWrite() uintptr {
	return ioc(iocRead|iocWrite, ctlType, ctlElemWrite, uintptr(a.valueSize()))
}

// long reads a C long (sign-extended) from b.
func (a ctlABI) getLong(b []byte) int64 {
	if a.long == 4 {
		return int64(int32(binary.NativeEndian.Uint32(b)))
	}
	return int64(binary.NativeEndian.Uint64(b))
}

// putLong writes v as a C long; on ILP32 it must fit in 32 bits.
func (a ctlABI) putLong(b []byte, v int64) {
	if a.long == 4 {
		binary.NativeEndian.PutUint32(b, uint32(int32(v)))
		return
	}
	binary.NativeEndian.PutUint64(b, uint64(v))
}

// putPtr writes a user-space address as a C pointer.
func (a ctlABI) putPtr(b []byte, p uintptr) {
	if a.long == 4 {
		binary.NativeEndian.PutUint32(b, uint32(p))
		return
	}
	binary.NativeEndian.PutUint64(b, uint64(p))
}

// encodeList fills an snd_ctl_elem_list asking for space ids from the
// first element, written at address pids.
func (a ctlABI) encodeList(b []byte, space uint32, pids uintptr) {
	clear(b)
	binary.NativeEndian.PutUint32(b[4:], space)
	a.putPtr(b[16:], pids)
}

// decodeList returns the used and count fields of an snd_ctl_elem_list.
func decodeList(b []byte) (used, count uint32) {
	return binary.NativeEndian.Uint32(b[8:]), binary.NativeEndian.Uint32(b[12:])
}

// elemID is a raw struct snd_ctl_elem_id, passed back to the kernel as it
// came.
type elemID [idSize]byte

func (id *elemID) numid() uint32     { return binary.NativeEndian.Uint32(id[0:]) }
func (id *elemID) iface() int32      { return int32(binary.NativeEndian.Uint32(id[4:])) }
func (id *elemID) device() uint32    { return binary.NativeEndian.Uint32(id[8:]) }
func (id *elemID) subdevice() uint32 { return binary.NativeEndian.Uint32(id[12:]) }
func (id *elemID) name() string      { return cString(id[16:60]) }
func (id *elemID) index() uint32     { return binary.NativeEndian.Uint32(id[60:]) }

// elemInfo is the part of struct snd_ctl_elem_info the mixer uses.
type elemInfo struct {
	typ            int32
	access         uint32
	count          uint32
	min, max, step int64 // value.integer, for typeInteger
}

// decodeInfo reads an snd_ctl_elem_info the kernel filled.
func (a ctlABI) decodeInfo(b []byte) elemInfo {
	in := elemInfo{
		typ:    int32(binary.NativeEndian.Uint32(b[64:])),
		access: binary.NativeEndian.Uint32(b[68:]),
		count:  binary.NativeEndian.Uint32(b[72:]),
	}
	if in.typ == typeInteger {
		in.min = a.getLong(b[infoIntOffset:])
		in.max = a.getLong(b[infoIntOffset+a.long:])
		in.step = a.getLong(b[infoIntOffset+2*a.long:])
	}
	return in
}

// encodeValue fills an snd_ctl_elem_value for id with vals (longs).
func (a ctlABI) encodeValue(b []byte, id *elemID, vals []int64) {
	clear(b)
	copy(b, id[:])
	for i, v := range vals {
		a.putLong(b[valueOffset+i*a.long:], v)
	}
}

// decodeValues reads the first n longs of an snd_ctl_elem_value.
func (a ctlABI) decodeValues(b []byte, n int) []int64 {
	vals := make([]int64, n)
	for i := range vals {
		vals[i] = a.getLong(b[valueOffset+i*a.long:])
	}
	return vals
}

// cardIdentity is the part of struct snd_ctl_card_info logs and card
// matching use.
type cardIdentity struct {
	ID, Driver, Name, LongName, MixerName string
}

// decodeCardInfo reads an snd_ctl_card_info.
func decodeCardInfo(b []byte) cardIdentity {
	return cardIdentity{
		ID:        cString(b[8:24]),
		Driver:    cString(b[24:40]),
		Name:      cString(b[40:72]),
		LongName:  cString(b[72:152]),
		MixerName: cString(b[168:248]),
	}
}

// cString returns the NUL-terminated string at the start of b.
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
