package alsa

import (
	"fmt"
	"slices"
	"strings"
	"time"

	yalsa "github.com/yobert/alsa"

	"handset/config"
	"handset/hal"
)

// Negotiation settles the hardware parameters of the playback and the
// capture device together, in this order:
//
//  1. sample format, per device: S16_LE, else S32_LE (converted to 16 bits);
//  2. rate, shared: the configured rate, the wanted rate, then 16000,
//     48000, 44100, 8000, 32000, 22050, 96000;
//  3. channels, per device: the wanted count, then mono, then stereo;
//  4. period, shared: the wanted period's duration at the granted rate,
//     then the configured one, 20 ms and 10 ms, then the powers of two
//     nearest those;
//  5. buffer, shared: the configured (else wanted) number of periods, then
//     more up to 4, then fewer down to 2.
//
// The period comes before the buffer because some drivers take only
// particular period sizes and derive the buffer from them.
//
// A shared value must suit both devices. When one device accepts a
// candidate and the other refuses it, the first is already narrowed to it;
// it is closed, opened again and the choices so far replayed before the
// next candidate is tried.

// step is one negotiated parameter.
type step int

const (
	stepFormat step = iota
	stepRate
	stepChannels
	stepPeriod
	stepBuffer
	numSteps
)

func (s step) String() string {
	return [...]string{"sample format", "rate", "channels", "period", "buffer"}[s]
}

// shared reports whether both devices must take the same value.
func (s step) shared() bool { return s != stepFormat && s != stepChannels }

// plan lists the candidates of each parameter, best first.
type plan struct {
	formats  [2][]int // per direction, as yalsa.FormatType
	channels [2][]int // per direction
	rates    []int
	periods  func(rate int) []int
	buffers  func(period int) []int
}

// candidates returns the candidates of s for device i given what has been
// chosen so far.
func (p plan) candidates(s step, i int, chosen [numSteps]int) []int {
	switch s {
	case stepFormat:
		return p.formats[i]
	case stepRate:
		return p.rates
	case stepChannels:
		return p.channels[i]
	case stepPeriod:
		return p.periods(chosen[stepRate])
	default:
		return p.buffers(chosen[stepPeriod])
	}
}

// granted is what negotiation settled.
type granted struct {
	values [2][numSteps]int // per direction; shared steps hold the same value
}

func (g granted) rate() int                { return g.values[Playback][stepRate] }
func (g granted) period() int              { return g.values[Playback][stepPeriod] }
func (g granted) buffer() int              { return g.values[Playback][stepBuffer] }
func (g granted) channels(d Direction) int { return g.values[d][stepChannels] }
func (g granted) sampleBytes(d Direction) int {
	return formatBytes(yalsa.FormatType(g.values[d][stepFormat]))
}

// frameBytes is the size of one frame of d on the device.
func (g granted) frameBytes(d Direction) int { return g.channels(d) * g.sampleBytes(d) }

// format is what the caller sees: one channel count for both directions
// (mono when the devices differ; the stream converts).
func (g granted) format() hal.PCMFormat {
	ch := g.channels(Playback)
	if ch != g.channels(Capture) {
		ch = 1
	}
	return hal.PCMFormat{Rate: g.rate(), Channels: ch, PeriodFrames: g.period(), BufferFrames: g.buffer()}
}

// exact is a plan with g's values as the only candidates: Recover
// negotiates the very same format again.
func (g granted) exact() plan {
	var p plan
	for d := range 2 {
		p.formats[d] = []int{g.values[d][stepFormat]}
		p.channels[d] = []int{g.values[d][stepChannels]}
	}
	p.rates = []int{g.rate()}
	period, buffer := g.period(), g.buffer()
	p.periods = func(int) []int { return []int{period} }
	p.buffers = func(int) []int { return []int{buffer} }
	return p
}

// String describes g for logs, e.g. "48000 Hz, period 960, buffer 2880;
// playback S16_LE 2 ch, capture S16_LE 1 ch".
func (g granted) String() string {
	return fmt.Sprintf("%d Hz, period %d, buffer %d; playback %v %d ch, capture %v %d ch",
		g.rate(), g.period(), g.buffer(),
		yalsa.FormatType(g.values[Playback][stepFormat]), g.channels(Playback),
		yalsa.FormatType(g.values[Capture][stepFormat]), g.channels(Capture))
}

// formatBytes is the container size of a sample format this package uses.
func formatBytes(f yalsa.FormatType) int {
	if f == yalsa.S32_LE {
		return 4
	}
	return 2
}

// negotiation is one run of the algorithm above over two devices.
type negotiation struct {
	devs   [2]pcmDevice
	names  [2]string
	plan   plan
	chosen [2][numSteps]int
}

// negotiate opens both devices and settles their parameters. On success
// both are open and negotiated (not yet prepared); on failure both are
// closed.
func negotiate(devs [2]pcmDevice, names [2]string, p plan) (granted, error) {
	n := &negotiation{devs: devs, names: names, plan: p}
	for i, d := range devs {
		if err := d.Open(); err != nil {
			if i == 1 {
				devs[0].Close()
			}
			return granted{}, deviceError("open", names[i], err)
		}
	}
	for s := range numSteps {
		var err error
		if s.shared() {
			err = n.shared(s)
		} else {
			err = n.each(s)
		}
		if err != nil {
			devs[0].Close()
			devs[1].Close()
			return granted{}, err
		}
	}
	return granted{values: n.chosen}, nil
}

// each settles s on each device on its own.
func (n *negotiation) each(s step) error {
	for i, d := range n.devs {
		cands := n.plan.candidates(s, i, n.chosen[i])
		var last error
		ok := false
		for _, v := range cands {
			if last = apply(d, s, v); last == nil {
				n.chosen[i][s], ok = v, true
				break
			}
		}
		if !ok {
			return n.failure(s, n.names[i], cands, last)
		}
	}
	return nil
}

// shared settles s on a value both devices accept.
func (n *negotiation) shared(s step) error {
	cands := n.plan.candidates(s, 0, n.chosen[0])
	var last error
	for _, v := range cands {
		accepted := 0
		for _, d := range n.devs {
			if last = apply(d, s, v); last != nil {
				break
			}
			accepted++
		}
		if accepted == len(n.devs) {
			n.chosen[0][s], n.chosen[1][s] = v, v
			return nil
		}
		if kindOf(last) == hal.ErrNoDevice {
			break // unplugged half way: no candidate will do
		}
		for i := range accepted {
			if err := n.reopen(i, s); err != nil {
				return err
			}
		}
	}
	return n.failure(s, n.names[0]+" and "+n.names[1], cands, last)
}

// reopen brings device i back to the choices made before step s.
func (n *negotiation) reopen(i int, s step) error {
	d := n.devs[i]
	d.Close()
	if err := d.Open(); err != nil {
		return deviceError("reopen", n.names[i], err)
	}
	for prev := range s {
		if err := apply(d, prev, n.chosen[i][prev]); err != nil {
			return deviceError("renegotiate "+prev.String(), n.names[i], err)
		}
	}
	return nil
}

// failure reports that no candidate of s suited device (or the pair).
func (n *negotiation) failure(s step, device string, cands []int, last error) error {
	kind := kindOf(last)
	if kind == nil {
		kind = ErrNoFormat
	}
	tried := make([]string, len(cands))
	for i, v := range cands {
		if s == stepFormat {
			tried[i] = yalsa.FormatType(v).String()
		} else {
			tried[i] = fmt.Sprint(v)
		}
	}
	cause := fmt.Errorf("none of %s suits (last: %v)", strings.Join(tried, ", "), last)
	if last == nil {
		cause = fmt.Errorf("no candidates")
	}
	return &Error{Op: "negotiate " + s.String(), Device: device, Kind: kind, Err: cause}
}

// apply narrows d's parameter s to v.
func apply(d pcmDevice, s step, v int) error {
	var err error
	switch s {
	case stepFormat:
		_, err = d.NegotiateFormat(yalsa.FormatType(v))
	case stepRate:
		_, err = d.NegotiateRate(v)
	case stepChannels:
		_, err = d.NegotiateChannels(v)
	case stepPeriod:
		_, err = d.NegotiatePeriodSize(v)
	default:
		_, err = d.NegotiateBufferSize(v)
	}
	return err
}

// Defaults for what neither the configuration nor the caller says.
const (
	defaultPeriod        = 20 * time.Millisecond
	defaultBufferPeriods = 3
	minBufferPeriods     = 2
	maxBufferPeriods     = 4
)

// openPlan is the plan for Open: what the caller wants, what the
// configuration says, then what cards commonly offer.
func openPlan(want hal.PCMFormat, cfg config.Audio) plan {
	var p plan
	formats := []int{int(yalsa.S16_LE), int(yalsa.S32_LE)}
	channels := channelCandidates(want.Channels)
	p.formats = [2][]int{formats, formats}
	p.channels = [2][]int{channels, channels}
	p.rates = rateCandidates(cfg.Rate, want.Rate)
	durs := periodDurations(want, cfg.Period)
	p.periods = func(rate int) []int { return periodCandidates(rate, durs) }
	periods := bufferPeriods(want, cfg.BufferPeriods)
	p.buffers = func(period int) []int { return bufferCandidates(period, periods) }
	return p
}

// rateCandidates lists the rates to try: the configured, the wanted, then
// the common ones. Zero means "not given".
func rateCandidates(configured, wanted int) []int {
	var out []int
	for _, r := range [...]int{configured, wanted, 16000, 48000, 44100, 8000, 32000, 22050, 96000} {
		out = addCandidate(out, r)
	}
	return out
}

// channelCandidates lists the channel counts to try.
func channelCandidates(wanted int) []int {
	return addCandidate(addCandidate(addCandidate(nil, wanted), 1), 2)
}

// periodDurations lists the period lengths to try: the caller's (it
// converts periods of that length), the configured one, 20 ms, 10 ms.
func periodDurations(want hal.PCMFormat, configured time.Duration) []time.Duration {
	var out []time.Duration
	add := func(d time.Duration) {
		if d > 0 && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if want.Rate > 0 && want.PeriodFrames > 0 {
		add(time.Duration(int64(want.PeriodFrames) * int64(time.Second) / int64(want.Rate)))
	}
	add(configured)
	add(defaultPeriod)
	add(10 * time.Millisecond)
	return out
}

// periodCandidates lists the period sizes (frames) to try at rate: each
// duration exactly, then for each the nearer and the farther power of two.
func periodCandidates(rate int, durs []time.Duration) []int {
	var out []int
	frames := make([]int, len(durs))
	for i, d := range durs {
		frames[i] = int(int64(rate) * int64(d) / int64(time.Second))
		out = addCandidate(out, frames[i])
	}
	for _, f := range frames {
		if f <= 0 {
			continue
		}
		lo := 1
		for lo*2 <= f {
			lo *= 2
		}
		hi := lo * 2
		if f-lo <= hi-f {
			out = addCandidate(addCandidate(out, lo), hi)
		} else {
			out = addCandidate(addCandidate(out, hi), lo)
		}
	}
	return out
}

// bufferPeriods is the preferred number of periods in the buffer: the
// configured one, else the caller's, else 3, within 2–4.
func bufferPeriods(want hal.PCMFormat, configured int) int {
	n := configured
	if n == 0 && want.PeriodFrames > 0 && want.BufferFrames > 0 {
		n = (want.BufferFrames + want.PeriodFrames - 1) / want.PeriodFrames
	}
	if n == 0 {
		n = defaultBufferPeriods
	}
	return max(minBufferPeriods, min(maxBufferPeriods, n))
}

// bufferCandidates lists buffer sizes (frames) of preferred periods, then
// more periods up to 4, then fewer down to 2.
func bufferCandidates(period, preferred int) []int {
	var out []int
	for n := preferred; n <= maxBufferPeriods; n++ {
		out = append(out, n*period)
	}
	for n := preferred - 1; n >= minBufferPeriods; n-- {
		out = append(out, n*period)
	}
	return out
}

// addCandidate appends v unless it is not positive or already listed.
func addCandidate(list []int, v int) []int {
	if v <= 0 || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
