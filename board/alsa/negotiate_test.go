package alsa

import (
	"errors"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	yalsa "github.com/yobert/alsa"

	"handset/config"
	"handset/hal"
)

// pumpWant is what the audio engine asks for: 8 kHz mono, 20 ms periods,
// a 4-period ring.
var pumpWant = hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 640}

func TestRateCandidates(t *testing.T) {
	tests := []struct {
		configured, wanted int
		want               []int
	}{
		{0, 8000, []int{8000, 16000, 48000, 44100, 32000, 22050, 96000}},
		{48000, 8000, []int{48000, 8000, 16000, 44100, 32000, 22050, 96000}},
		{0, 0, []int{16000, 48000, 44100, 8000, 32000, 22050, 96000}},
		{16000, 16000, []int{16000, 48000, 44100, 8000, 32000, 22050, 96000}},
	}
	for i, tt := range tests {
		if got := rateCandidates(tt.configured, tt.wanted); !slices.Equal(got, tt.want) {
			t.Errorf("#%d: %v, want %v", i, got, tt.want)
		}
	}
	if got := channelCandidates(2); !slices.Equal(got, []int{2, 1}) {
		t.Errorf("channels(2) = %v", got)
	}
	if got := channelCandidates(0); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("channels(0) = %v", got)
	}
}

func TestPeriodCandidates(t *testing.T) {
	tests := []struct {
		want       hal.PCMFormat
		configured time.Duration
		rate       int
		periods    []int
	}{
		// 20 ms then 10 ms exactly, then powers of two, nearer first.
		{pumpWant, 20 * time.Millisecond, 48000, []int{960, 480, 1024, 512, 256}},
		{pumpWant, 0, 8000, []int{160, 80, 128, 256, 64}},
		{pumpWant, 10 * time.Millisecond, 44100, []int{882, 441, 1024, 512, 256}},
		// Without a wanted period the configured one comes first.
		{hal.PCMFormat{}, 10 * time.Millisecond, 16000, []int{160, 320, 128, 256, 512}},
	}
	for i, tt := range tests {
		got := periodCandidates(tt.rate, periodDurations(tt.want, tt.configured))
		if !slices.Equal(got, tt.periods) {
			t.Errorf("#%d: %v, want %v", i, got, tt.periods)
		}
	}
}

func TestBufferCandidates(t *testing.T) {
	tests := []struct {
		want       hal.PCMFormat
		configured int
		periods    int
		buffers    []int
	}{
		{pumpWant, 3, 3, []int{480, 640, 320}},
		{pumpWant, 0, 4, []int{640, 480, 320}},
		{pumpWant, 2, 2, []int{320, 480, 640}},
		{hal.PCMFormat{}, 0, 3, []int{480, 640, 320}},
		{hal.PCMFormat{PeriodFrames: 160, BufferFrames: 1600}, 0, 4, []int{640, 480, 320}},
		{hal.PCMFormat{PeriodFrames: 160, BufferFrames: 160}, 0, 2, []int{320, 480, 640}},
	}
	for i, tt := range tests {
		n := bufferPeriods(tt.want, tt.configured)
		if n != tt.periods {
			t.Errorf("#%d: %d periods, want %d", i, n, tt.periods)
		}
		if got := bufferCandidates(160, n); !slices.Equal(got, tt.buffers) {
			t.Errorf("#%d: %v, want %v", i, got, tt.buffers)
		}
	}
}

func s16() []yalsa.FormatType { return []yalsa.FormatType{yalsa.S16_LE} }

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name       string
		play, capt offer
		cfg        config.Audio
		want       hal.PCMFormat
		devCh      [2]int
		devFmt     [2]yalsa.FormatType
	}{
		{
			name: "snd-aloop: 8 kHz mono",
			play: offer{formats: s16(), rates: []int{8000}, channels: []int{1}},
			capt: offer{formats: s16(), rates: []int{8000}, channels: []int{1}},
			cfg:  config.Audio{BufferPeriods: 3},
			want: hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 480},
		},
		{
			name: "HDA: 48 kHz stereo only",
			play: offer{rates: []int{44100, 48000}, channels: []int{2}},
			capt: offer{rates: []int{44100, 48000}, channels: []int{2}},
			want: hal.PCMFormat{Rate: 48000, Channels: 2, PeriodFrames: 960, BufferFrames: 3840},
		},
		{
			name: "configured rate first",
			play: offer{}, capt: offer{},
			cfg:  config.Audio{Rate: 16000, BufferPeriods: 2},
			want: hal.PCMFormat{Rate: 16000, Channels: 1, PeriodFrames: 320, BufferFrames: 640},
		},
		{
			name: "powers of two only",
			play: offer{rates: []int{48000}, periods: []int{256, 512, 1024}, buffers: []int{2048, 3072, 4096}},
			capt: offer{rates: []int{48000}},
			cfg:  config.Audio{BufferPeriods: 3},
			want: hal.PCMFormat{Rate: 48000, Channels: 1, PeriodFrames: 1024, BufferFrames: 3072},
		},
		{
			name: "buffer of 2 periods only",
			play: offer{rates: []int{8000}, buffers: []int{320}},
			capt: offer{rates: []int{8000}},
			cfg:  config.Audio{BufferPeriods: 3},
			want: hal.PCMFormat{Rate: 8000, Channels: 1, PeriodFrames: 160, BufferFrames: 320},
		},
		{
			name:  "USB headset: stereo earpiece, mono microphone",
			play:  offer{rates: []int{48000}, channels: []int{2}},
			capt:  offer{rates: []int{16000, 48000}, channels: []int{1}},
			want:  hal.PCMFormat{Rate: 48000, Channels: 1, PeriodFrames: 960, BufferFrames: 3840},
			devCh: [2]int{2, 1},
		},
		{
			name:   "I2S microphone: S32_LE only",
			play:   offer{formats: s16(), rates: []int{48000}, channels: []int{2}},
			capt:   offer{formats: []yalsa.FormatType{yalsa.S32_LE}, rates: []int{48000}, channels: []int{2}},
			want:   hal.PCMFormat{Rate: 48000, Channels: 2, PeriodFrames: 960, BufferFrames: 3840},
			devFmt: [2]yalsa.FormatType{yalsa.S16_LE, yalsa.S32_LE},
		},
		{
			name: "rates differ: the first both take",
			play: offer{rates: []int{48000, 44100}},
			capt: offer{rates: []int{44100, 16000}},
			cfg:  config.Audio{BufferPeriods: 4},
			want: hal.PCMFormat{Rate: 44100, Channels: 1, PeriodFrames: 882, BufferFrames: 3528},
		},
	}
	for _, tt := range tests {
		play, capt := newFakePCM(tt.play), newFakePCM(tt.capt)
		g, err := negotiate([2]pcmDevice{play, capt}, [2]string{"p", "c"}, openPlan(pumpWant, tt.cfg))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := g.format(); got != tt.want {
			t.Errorf("%s: format %+v, want %+v", tt.name, got, tt.want)
		}
		devCh := tt.devCh
		if devCh == [2]int{} {
			devCh = [2]int{tt.want.Channels, tt.want.Channels}
		}
		devFmt := tt.devFmt
		if devFmt == [2]yalsa.FormatType{} {
			devFmt = [2]yalsa.FormatType{yalsa.S16_LE, yalsa.S16_LE}
		}
		for d, f := range []*fakePCM{play, capt} {
			if !f.open || f.channels != devCh[d] || f.format != devFmt[d] || f.rate != tt.want.Rate ||
				f.period != tt.want.PeriodFrames || f.buffer != tt.want.BufferFrames {
				t.Errorf("%s: device %d left at open=%v %v %d ch %d Hz %d/%d", tt.name, d, f.open, f.format, f.channels, f.rate, f.period, f.buffer)
			}
		}
	}
}

func TestNegotiateOrderAndReopen(t *testing.T) {
	play := newFakePCM(offer{rates: []int{48000, 44100}, channels: []int{2}})
	capt := newFakePCM(offer{rates: []int{44100}, channels: []int{1, 2}})
	_, err := negotiate([2]pcmDevice{play, capt}, [2]string{"p", "c"}, openPlan(pumpWant, config.Audio{BufferPeriods: 3}))
	if err != nil {
		t.Fatal(err)
	}
	wantPlay := []string{
		"format S16_LE",
		"rate 8000 refused", "rate 16000 refused", "rate 48000", // capture refuses 48000: reopen
		"format S16_LE", // replayed
		"rate 44100",
		"channels 1 refused", "channels 2",
		"period 882", "buffer 2646",
	}
	if !slices.Equal(play.calls, wantPlay) {
		t.Errorf("playback calls\n%q\nwant\n%q", play.calls, wantPlay)
	}
	if play.opens != 2 || play.closes != 1 || capt.opens != 1 {
		t.Errorf("opens %d/%d closes %d", play.opens, capt.opens, play.closes)
	}
	if capt.channels != 1 {
		t.Errorf("capture channels %d, want 1", capt.channels)
	}
}

func TestNegotiateFailures(t *testing.T) {
	tests := []struct {
		name       string
		play, capt *fakePCM
		kind       error
		msg        string
	}{
		{
			name: "no common rate",
			play: newFakePCM(offer{rates: []int{48000}}),
			capt: newFakePCM(offer{rates: []int{44100}}),
			kind: ErrNoFormat,
			msg:  "alsa: negotiate rate p and c: none of 8000, 16000, 48000, 44100, 32000, 22050, 96000 suits",
		},
		{
			name: "no 16-bit or 32-bit samples",
			play: newFakePCM(offer{formats: []yalsa.FormatType{yalsa.U8}}),
			capt: newFakePCM(offer{}),
			kind: ErrNoFormat,
			msg:  "alsa: negotiate sample format p: none of S16_LE, S32_LE suits",
		},
		{
			name: "capture busy",
			play: newFakePCM(offer{}),
			capt: &fakePCM{openErr: &fsError{syscall.EBUSY}},
			kind: ErrBusy,
			msg:  "alsa: open c: open /dev/snd/x: device or resource busy",
		},
		{
			name: "unplugged",
			play: &fakePCM{openErr: &fsError{syscall.ENOENT}},
			capt: newFakePCM(offer{}),
			kind: hal.ErrNoDevice,
			msg:  "alsa: open p: open /dev/snd/x: no such file or directory",
		},
	}
	for _, tt := range tests {
		_, err := negotiate([2]pcmDevice{tt.play, tt.capt}, [2]string{"p", "c"}, openPlan(pumpWant, config.Audio{}))
		if !errors.Is(err, tt.kind) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
		if err == nil || !strings.HasPrefix(err.Error(), tt.msg) {
			t.Errorf("%s: message %q, want it to start %q", tt.name, err, tt.msg)
		}
		if tt.play.open || tt.capt.open {
			t.Errorf("%s: a device was left open", tt.name)
		}
	}
}

// fsError looks like the *os.PathError an open of a device node returns.
type fsError struct{ errno syscall.Errno }

func (e *fsError) Error() string { return "open /dev/snd/x: " + e.errno.Error() }
func (e *fsError) Unwrap() error { return e.errno }

func TestGrantedExact(t *testing.T) {
	play := newFakePCM(offer{rates: []int{48000}, channels: []int{2}})
	capt := newFakePCM(offer{rates: []int{48000}, channels: []int{1}, formats: []yalsa.FormatType{yalsa.S32_LE}})
	devs, names := [2]pcmDevice{play, capt}, [2]string{"p", "c"}
	g, err := negotiate(devs, names, openPlan(pumpWant, config.Audio{}))
	if err != nil {
		t.Fatal(err)
	}
	want := "48000 Hz, period 960, buffer 3840; playback S16_LE 2 ch, capture S32_LE 1 ch"
	if got := g.String(); got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	play.Close()
	capt.Close()
	play.calls, capt.calls = nil, nil
	again, err := negotiate(devs, names, g.exact())
	if err != nil || again != g {
		t.Fatalf("again: %v, %v; want %v", again, err, g)
	}
	if len(play.calls) != 5 || len(capt.calls) != 5 {
		t.Errorf("exact plan tried more than one value per step: %q %q", play.calls, capt.calls)
	}
}
