// Package alsa is the phone's real sound card: hal.SoundCard on raw ALSA hw
// devices through github.com/yobert/alsa, plus what that library lacks — a
// mixer over the control ioctls, errors callers can match, and recovery by
// reopening.
//
// # Opening
//
// NewCard takes the [audio] section. Card.Open finds the playback and
// capture devices (by card id, so a USB card plugged back in under another
// number is found again; see resolve.go), negotiates a format both accept
// (negotiate.go), sets the configured volumes, turning the card's switches
// on since cards often start muted (mixer.go), and starts the stream. It
// returns what the card granted; the caller converts rate and channels.
// Playback and capture always share the rate, the period and the buffer
// size; when no value suits both, Open fails with ErrNoFormat. They may
// differ in sample format (S16_LE or S32_LE) and channel count (e.g. a USB
// headset with a stereo earpiece and a mono microphone): the stream then
// reports mono and converts in Read and Write.
//
// # Data path
//
// yobert/alsa sets the start threshold to the buffer size and offers no
// START, DRAIN or DROP, which decides how a stream starts and stops:
//
//   - Capture starts only on a read of a whole buffer. Open reads one
//     buffer and drops it ("priming"); afterwards Read waits for one period
//     at a time, so the microphone side lags by about one period.
//   - Playback starts only once its ring is full. Open writes a buffer of
//     silence ("prefill"), which starts it at once; afterwards the ring
//     stays full and each Write waits until one period has played. What
//     the earpiece plays is therefore about one buffer (2–4 periods) behind
//     Write: that buffer is the latency this package adds, and it is
//     bounded because the ring never holds more.
//   - Closing a device drops whatever its ring holds. Close first writes a
//     buffer of silence ("padding"), which returns once everything written
//     before it has played, then closes.
//   - An xrun (EPIPE) returns an error matching hal.ErrXrun and is counted
//     (Card.Xruns). The stop threshold is two buffers, so the kernel
//     notices an underrun (overrun) only after up to a buffer of stale
//     audio has been played (overwritten). Recover closes both devices,
//     opens them again with the same parameters, primes and prefills as
//     Open does.
//   - An unplugged card makes Read and Write fail with an error matching
//     hal.ErrNoDevice (ENODEV, ENXIO or EBADFD), and Open too while it is
//     gone; the audio engine retries Open every second.
//
// Transfers do not go through yobert/alsa's Read and Write, which allocate
// a transfer block per call and hide the frame count and the errno:
// alsaDevice issues READI/WRITEI_FRAMES itself on the library's descriptor
// (device.go), from buffers allocated once per stream. Read and Write
// allocate nothing.
//
// # Mixer and cards
//
// Mixer reads and writes a card's controls through /dev/snd/controlC<N>
// (ELEM_LIST, ELEM_INFO, ELEM_READ, ELEM_WRITE); the struct layouts of both
// ABIs, LP64 (amd64, arm64) and ILP32 (32-bit ARM), are in ctlabi.go.
// Cards and Describe list the cards and what each device offers, for logs
// and "handset selftest".
//
// Errors from devices are *Error values naming the device, e.g.
// "alsa: open hw:1,0 capture: …", and match hal.ErrXrun, hal.ErrNoDevice,
// ErrBusy or ErrNoFormat as the case may be.
//
// alsa imports handset/hal, handset/config, github.com/yobert/alsa and the
// standard library.
package alsa
