package alsa

import "encoding/binary"

// The device side of a period is little-endian S16_LE or S32_LE samples
// with the device's channel count; the caller's side is int16 samples with
// the stream's channel count, which is the device's or, when the two
// directions differ, mono. These loops write into caller-owned buffers and
// allocate nothing.

// decode converts frames captured frames (devCh channels of sb-byte
// samples in src) into dst, which holds frames × 1 or frames × devCh
// samples. Mono output averages the device's channels; S32 keeps the top
// 16 bits.
func decode(dst []int16, src []byte, frames, devCh, sb int) {
	if len(dst) == frames*devCh {
		for i := range dst {
			dst[i] = sample(src[i*sb:], sb)
		}
		return
	}
	frameBytes := devCh * sb
	for f := range frames {
		sum := 0
		for c := range devCh {
			sum += int(sample(src[f*frameBytes+c*sb:], sb))
		}
		dst[f] = int16(sum / devCh)
	}
}

// encode converts src (frames × 1 or frames × devCh samples) into one
// playback period for a device of devCh channels of sb-byte samples. Mono
// input is copied to every channel.
func encode(dst []byte, src []int16, frames, devCh, sb int) {
	if len(src) == frames*devCh {
		for i, v := range src {
			putSample(dst[i*sb:], sb, v)
		}
		return
	}
	frameBytes := devCh * sb
	for f, v := range src[:frames] {
		for c := range devCh {
			putSample(dst[f*frameBytes+c*sb:], sb, v)
		}
	}
}

// sample reads one S16_LE or S32_LE sample as 16 bits.
func sample(b []byte, sb int) int16 {
	if sb == 4 {
		return int16(binary.LittleEndian.Uint32(b) >> 16)
	}
	return int16(binary.LittleEndian.Uint16(b))
}

// putSample writes v as one S16_LE or S32_LE sample.
func putSample(b []byte, sb int, v int16) {
	if sb == 4 {
		binary.LittleEndian.PutUint32(b, uint32(uint16(v))<<16)
		return
	}
	binary.LittleEndian.PutUint16(b, uint16(v))
}
