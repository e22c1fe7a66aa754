package rtcp

import "time"

// ntpEpochOffset is the seconds from the NTP epoch (1900) to the Unix
// epoch (1970).
const ntpEpochOffset = 2208988800

// NTPTime converts t to the 64-bit NTP format: seconds since 1900 in the
// high 32 bits, the fraction of a second in the low 32.
func NTPTime(t time.Time) uint64 {
	secs := uint64(t.Unix() + ntpEpochOffset)
	frac := uint64(t.Nanosecond()) << 32 / uint64(time.Second)
	return secs<<32 | frac
}

// Middle32 is the middle 32 bits of an NTP timestamp: seconds and
// fraction in units of 1/65536 s, as LSR and DLSR use them.
func Middle32(ntp uint64) uint32 { return uint32(ntp >> 16) }

// Short converts a duration to 1/65536 s (DLSR, round-trip times).
func Short(d time.Duration) uint32 {
	if d < 0 {
		return 0
	}
	return uint32(uint64(d) << 16 / uint64(time.Second))
}

// FromShort converts 1/65536 s to a duration.
func FromShort(v uint32) time.Duration {
	return time.Duration(uint64(v) * uint64(time.Second) >> 16)
}
