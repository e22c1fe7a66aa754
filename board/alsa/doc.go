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
// yobert/alsa sets both start thresholds to the buffer size and offers no
// START, DRAIN, DROP or DELAY, which decides how a stream starts and
// stops:
//
//   - Capture starts only on a read of a whole buffer. Open reads one
//     buffer and drops it ("priming"), which leaves the ring empty;
//     afterwards Read waits for one period at a time, so the microphone
//     side lags by about one period. Priming costs one buffer of time at
//     Open and Recover, not latency.
//   - Playback gets software parameters of our own after yobert/alsa's
//     Prepare (device.go): it never starts by itself, and a card that ran
//     dry plays on for up to a ring; Delay then finds it behind, writes
//     silence to catch up, counts an xrun and reports an empty queue, with
//     no restart. The first Write after Open or Recover issues
//     START, so playback begins with only what was written queued. From
//     then on the card plays frame after frame; Write takes any whole
//     number of frames up to the ring and waits only when the ring has no
//     room. Delay (SNDRV_PCM_IOCTL_DELAY) says how much is queued, so the
//     caller can keep just a small lead ahead of the card.
//   - Closing a device drops whatever its ring holds. Close first writes a
//     ring of silence ("padding"): the kernel takes it in as room appears,
//     so the write returns once what was queued before it has played.
//     Then it closes.
//   - An xrun (EPIPE) returns an error matching hal.ErrXrun from Read,
//     Write or Delay and is counted (Card.Xruns). The capture stop
//     threshold is two buffers, so the kernel notices an overrun only
//     after up to a buffer of audio has been overwritten. Recover closes
//     both devices, opens them again with the same parameters and primes
//     capture as Open does; playback is empty until the next Write.
//   - An unplugged card makes Read, Write and Delay fail with an error
//     matching hal.ErrNoDevice (ENODEV, ENXIO or EBADFD), and Open too
//     while it is gone; the audio engine retries Open every second.
//
// Transfers do not go through yobert/alsa's Read and Write, which allocate
// a transfer block per call and hide the frame count and the errno:
// alsaDevice issues READI/WRITEI_FRAMES itself on the library's descriptor
// (device.go), from buffers of one ring per direction allocated once per
// stream. Read, Write and Delay allocate nothing.
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
