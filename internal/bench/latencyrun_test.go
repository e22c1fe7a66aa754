package bench

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/internal/testpeer"
)

// latencyRun is one call of the latency measurement.
type latencyRun struct {
	codec  string
	ring   int           // the card's ring in periods ([audio] buffer_periods)
	jitter time.Duration // the relay's delay spread, far end to phone
	phase  time.Duration // far end's packets this long after the phone's
}

// latencyCall is how long each latency call lasts, and settle how long
// the jitter buffer is given to find its depth before clicks count.
const (
	latencyCall = 20 * time.Second
	settleTime  = 5 * time.Second
	micLoop     = 10 * time.Second // the microphone recording, looped
)

// TestBenchLatency measures the delay the phone adds each way: from a
// click its microphone hears to the RTP packet carrying it on the wire,
// and from the RTP packet of a click the far end sends (as it reaches the
// phone's socket) to the click leaving the earpiece. The far end is the
// bench's own (FarEnd), behind an impairing relay; the wire is the
// loopback capture; the card's schedule comes from handset
// --audio-trace. It writes latency.md to HANDSET_BENCH_OUT.
func TestBenchLatency(t *testing.T) {
	needBench(t)
	var runs []latencyRun
	for _, ph := range []time.Duration{2500, 7500, 12500, 17500} {
		runs = append(runs, latencyRun{"PCMU", 3, 0, ph * time.Microsecond})
	}
	runs = append(runs,
		latencyRun{"G722", 3, 0, 10 * time.Millisecond},
		latencyRun{"PCMU", 2, 0, 10 * time.Millisecond},
		latencyRun{"PCMU", 3, 30 * time.Millisecond, 10 * time.Millisecond},
	)
	var b strings.Builder
	b.WriteString("| codec | card ring | network | far end's phase | mic → wire: median / max | wire → speaker: median / p95 / max | wire → speaker, first 5 s: max | clicks out / in | pump's worst lateness; xruns |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for i, r := range runs {
		out, in, start, pump := measureLatency(t, r, uint64(i+1))
		network := "steady"
		if r.jitter > 0 {
			network = fmt.Sprintf("%v jitter", r.jitter)
		}
		fmt.Fprintf(&b, "| %s | %d × 20 ms | %s | %v | %s / %s | %s / %s / %s | %s | %d / %d | %.1f ms; %d |\n",
			codecName(r.codec), r.ring, network, r.phase, ms(out.Median), ms(out.Max),
			ms(in.Median), ms(in.P95), ms(in.Max), ms(start.Max), out.N, in.N, pump.lateMaxMs, pump.xruns)
	}
	writeOut(t, "latency.md", b.String())
}

// pumpFigures are the phone's own figures of a call (its call-ended
// stats): the latest its pump woke, and the sound card's xruns.
type pumpFigures struct {
	lateMaxMs float64
	xruns     int
}

// measureLatency runs one call and returns the latencies of the clicks
// after the jitter buffer settled, the way out and the way in, those of
// the way in before it settled, and the pump's figures: a pump that woke
// late grows its playback lead, which adds to the way in for a while.
func measureLatency(t *testing.T, r latencyRun, seed uint64) (out, in, start Summary, pump pumpFigures) {
	t.Helper()
	dir := t.TempDir()
	rate := codecRate[r.codec]
	mic, clicks := clickWAV(rate)
	micPath := filepath.Join(dir, "mic.wav")
	writeWAV(t, micPath, mic, rate)

	capture, err := StartCapture(hal.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer capture.Stop()
	relay, err := NewRelay(r.jitter, seed, hal.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	far, err := StartFarEnd(FarEndConfig{Codec: r.codec, Phase: r.phase, Via: relay, ClickEvery: 25, Clock: hal.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer far.Stop()
	callee := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "testdata/answer_far.xml", Timeout: latencyCall + time.Minute,
		Args: []string{"-key", "pt", fmt.Sprint(payloadType[r.codec]), "-key", "codec", r.codec, "-key", "far_port", fmt.Sprint(far.Addr().Port())},
	})
	port := freeUDP(t)
	speaker, trace := filepath.Join(dir, "speaker.wav"), filepath.Join(dir, "trace")
	ph := startPhone(t, handsetConfig(callee.Addr().String(), false, port, r.codec, nextRTP(), r.ring),
		"--mic", micPath, "--speaker", speaker, "--audio-trace", trace)
	ph.Do("offhook")
	ph.Do("dial 1002#")
	ph.WaitEvent("call-connected", nil, 10*time.Second)
	connected := time.Now()
	settled := connected.Add(settleTime)
	time.Sleep(latencyCall)
	ph.Do("onhook")
	ended := ph.WaitEvent("call-ended", nil, 10*time.Second)
	if st, ok := ended["stats"].(map[string]any); ok {
		late, _ := st["PumpLateMaxMs"].(float64)
		xruns, _ := st["Xruns"].(float64)
		pump = pumpFigures{late, int(xruns)}
	}
	ph.Stop()
	if err := callee.Wait(); err != nil {
		t.Fatalf("callee: %v", err)
	}
	clickSeqs, err := far.Stop()
	if err != nil {
		t.Fatal(err)
	}
	relay.Close()
	pkts, err := capture.Stop()
	if err != nil {
		t.Fatal(err)
	}
	call, err := FindCall(pkts, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)))
	if err != nil {
		t.Fatal(err)
	}
	phoneRTP := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(call.RTPPort))
	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := ReadAudioTrace(f, rate)
	if err != nil {
		t.Fatal(err)
	}
	var frames []int64
	loop := int64(len(mic))
	for base := int64(0); base < tr.Captured(); base += loop {
		for _, c := range clicks {
			frames = append(frames, base+c)
		}
	}
	outs, err := MicToWire(pkts, phoneRTP, r.codec, tr, frames)
	if err != nil {
		t.Fatal(err)
	}
	samples, _ := readWAV(t, speaker)
	ins := WireToSpeaker(pkts, phoneRTP, clickSeqs, samples, tr)
	out, in = Summarize(outs, settled, time.Time{}), Summarize(ins, settled, time.Time{})
	start = Summarize(ins, connected, settled)
	t.Logf("%+v: out %+v; in %+v; in at the start %+v; pump %+v", r, out, in, start, pump)
	if out.N < 10 || in.N < 10 {
		t.Errorf("%+v: only %d clicks measured out and %d in", r, out.N, in.N)
	}
	return out, in, start, pump
}

// clickWAV makes the microphone recording: micLoop of silence with a
// click every 500 ms, each at another offset into its 20 ms period
// (37 samples further each time), so the clicks sample every point of a
// packet. It returns the samples and the frames where clicks start.
func clickWAV(rate int) ([]int16, []int64) {
	samples := make([]int16, int(int64(rate)*int64(micLoop)/int64(time.Second)))
	frame := rate / 50
	var at []int64
	for k := 0; ; k++ {
		i := (2*k+1)*rate/4 + (k*37)%frame
		if i >= len(samples) {
			break
		}
		AddClick(samples, i, rate)
		at = append(at, int64(i))
	}
	return samples, at
}
