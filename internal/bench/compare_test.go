package bench

import (
	"cmp"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"handset/hal"
	"handset/internal/testpeer"
)

// figures are one user agent's measurements in one call.
type figures struct {
	ua, codec   string
	idle        Proc
	maxRSS      int64 // the largest RSS sampled in the call
	end         Proc  // at the end of the call
	recorderRSS int64 // baresip: its WAV recorder's libraries, in RSS
	cpu         time.Duration
	idleCPU     time.Duration // over idleTime-2s, registered, no call
	length      time.Duration
	wire        CallOnWire
	heard       time.Duration
}

// TestBenchCompare runs the same call with the handset (simulator) and
// with baresip, one codec at a time: each registers as 1001 with
// Kamailio, idles, then calls 1002, which answers at once and echoes
// RTP, for HANDSET_BENCH_CALL (60 s); the microphone is the same 1 kHz
// WAV. With HANDSET_BENCH_ROUNDS (1) above one, the two take turns that
// many times: a shared machine's load drifts, and calls made back to back
// compare fairly. It writes compare.md to HANDSET_BENCH_OUT.
func TestBenchCompare(t *testing.T) {
	needBench(t)
	length := 60 * time.Second
	if v := os.Getenv(callEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("%s: %v", callEnv, err)
		}
		length = d
	}
	rounds := 1
	if v := os.Getenv(roundsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s: %q is not a number of rounds", roundsEnv, v)
		}
		rounds = n
	}
	p := startPBX(t)
	var all [][2][]figures // per codec: the handset's and baresip's calls
	for _, codec := range []string{"PCMU", "G722"} {
		mic := filepath.Join(t.TempDir(), "mic.wav")
		writeWAV(t, mic, toneWAV(codecRate[codec], length+30*time.Second), codecRate[codec])
		var calls [2][]figures
		for range rounds {
			for i, ua := range []string{"handset", "baresip"} {
				f := measureCall(t, p, ua, codec, mic, length)
				t.Logf("%s %s: %+v", ua, codec, f)
				calls[i] = append(calls[i], f)
			}
		}
		all = append(all, calls)
	}
	writeOut(t, "compare.md", compareTable(all))
}

// measureCall runs one call of ua and measures it.
func measureCall(t *testing.T, p pbx, ua, codec, mic string, length time.Duration) figures {
	t.Helper()
	f := figures{ua: ua, codec: codec, length: length}
	capture, err := StartCapture(hal.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer capture.Stop()
	callee := p.answer(t, "answer_echo.xml", codec, length, 0)
	var (
		proc      uaProc
		sip       netip.AddrPort
		hangUp    func()
		recording func() (string, error)
	)
	switch ua {
	case "handset":
		port := freeUDP(t)
		speaker := filepath.Join(t.TempDir(), "speaker.wav")
		flags := []string{"--mic", mic, "--speaker", speaker}
		if dir := os.Getenv(profileEnv); dir != "" {
			flags = append(flags, "--cpuprofile", filepath.Join(dir, "handset-"+codec+".pprof"))
		}
		ph := startPhone(t, handsetConfig(p.k.Addr().String(), true, port, codec, nextRTP(), 0), flags...)
		ph.WaitEvent("registration", func(e event) bool { return e["registered"] == true }, 10*time.Second)
		proc, sip = ph, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
		f.idle, f.idleCPU = settle(t, proc)
		ph.Do("offhook")
		ph.Do("dial 1002#")
		ph.WaitEvent("call-connected", nil, 10*time.Second)
		hangUp = func() {
			ph.Do("onhook")
			ph.WaitEvent("call-ended", nil, 10*time.Second)
			ph.Stop()
		}
		recording = func() (string, error) { return speaker, nil }
	case "baresip":
		b := startBaresip(t, p.k.Addr().String(), codec, mic, nextRTP())
		// It registers before its control socket is up: watch the wire.
		for deadline := time.Now().Add(10 * time.Second); !Registered(capture.Snapshot(), b.sip); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("baresip did not register within 10 s")
			}
		}
		proc, sip = b, b.sip
		f.idle, f.idleCPU = settle(t, proc)
		f.idle.RSS -= recorderRSS(t, proc)
		b.do("dial", "sip:1002@"+domain)
		b.wait("CALL_ESTABLISHED", 10*time.Second)
		hangUp = func() {
			b.do("hangup", "")
			b.wait("CALL_CLOSED", 10*time.Second)
			b.stop()
		}
		recording = b.heard
	}
	start := readProc(t, proc)
	for end := time.Now().Add(length); time.Now().Before(end); {
		time.Sleep(min(time.Second, time.Until(end)))
		if now := readProc(t, proc); now.RSS > f.maxRSS {
			f.maxRSS, f.end = now.RSS, now
		}
	}
	end := readProc(t, proc)
	f.cpu = end.CPU - start.CPU
	f.end.CPU = end.CPU
	if ua == "baresip" {
		f.recorderRSS = recorderRSS(t, proc)
	}
	hangUp()
	if err := callee.Wait(); err != nil {
		t.Fatalf("callee: %v", err)
	}
	pkts, err := capture.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if f.wire, err = FindCall(pkts, sip); err != nil {
		t.Fatal(err)
	}
	path, err := recording()
	if err != nil {
		t.Fatal(err)
	}
	samples, rate := readWAV(t, path)
	f.heard = heardTone(samples, rate)
	return f
}

// idleTime is how long an agent idles, registered, before its call: 2 s
// to settle, then the time its idle CPU is measured over.
const idleTime = 10 * time.Second

// settle idles a registered agent: it returns its figures after 2 s and
// the CPU it used in the rest of idleTime.
func settle(t *testing.T, p uaProc) (Proc, time.Duration) {
	t.Helper()
	time.Sleep(2 * time.Second)
	idle := readProc(t, p)
	time.Sleep(idleTime - 2*time.Second)
	return idle, readProc(t, p).CPU - idle.CPU
}

func readProc(t *testing.T, p uaProc) Proc {
	t.Helper()
	pr, err := ReadProc(p.pid())
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

// recorderRSS is the RSS of the libraries only baresip's recorder maps.
func recorderRSS(t *testing.T, p uaProc) int64 {
	t.Helper()
	n, err := MappedRSS(p.pid(), func(path string) bool {
		return slices.ContainsFunc(recorderLibs, func(lib string) bool { return strings.Contains(path, lib) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// compareTable sets the figures side by side, with the ratios of the
// handset's to baresip's for each codec.
//
// Each column is one call: with several rounds, the one whose CPU is the
// median of its agent's calls. The ratios below the table are of the
// calls made back to back, round by round, with their median.
func compareTable(rounds [][2][]figures) string {
	var all []figures
	for _, calls := range rounds {
		all = append(all, medianCall(calls[0]), medianCall(calls[1]))
	}
	var b strings.Builder
	b.WriteString("| figure |")
	for _, f := range all {
		fmt.Fprintf(&b, " %s %s |", f.ua, codecName(f.codec))
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(all)))
	b.WriteString("\n")
	row := func(name string, cell func(f figures) string) {
		fmt.Fprintf(&b, "| %s |", name)
		for _, f := range all {
			fmt.Fprintf(&b, " %s |", cell(f))
		}
		b.WriteString("\n")
	}
	inCall := func(f figures) int64 { return f.maxRSS - f.recorderRSS }
	row("RSS, registered and idle", func(f figures) string { return mb(f.idle.RSS) })
	row("RSS in the call (largest sample)", func(f figures) string { return mb(inCall(f)) })
	row("… private (anon) / file-backed", func(f figures) string {
		return mb(f.end.Anon) + " / " + mb(f.end.File-f.recorderRSS)
	})
	row("PSS in the call", func(f figures) string { return mb(f.end.PSS) })
	row("CPU for the call", func(f figures) string {
		return fmt.Sprintf("%.2f s (%.2f %%)", f.cpu.Seconds(), 100*f.cpu.Seconds()/f.length.Seconds())
	})
	row("CPU idle, registered", func(f figures) string {
		return fmt.Sprintf("%.2f %%", 100*f.idleCPU.Seconds()/(idleTime-2*time.Second).Seconds())
	})
	row("INVITE → 200 OK", func(f figures) string { return ms(f.wire.OK.Sub(f.wire.Invite)) })
	row("200 OK → first RTP sent", func(f figures) string { return ms(f.wire.FirstRTP.Sub(f.wire.OK)) })
	row("RTP packets sent / received", func(f figures) string { return fmt.Sprintf("%d / %d", f.wire.Sent, f.wire.Received) })
	row("echoed 1 kHz tone heard", func(f figures) string { return fmt.Sprintf("%.1f s", f.heard.Seconds()) })
	b.WriteString("\n")
	for _, calls := range rounds {
		var rss, cpu []float64
		for i := range calls[0] {
			h, r := calls[0][i], calls[1][i]
			rss = append(rss, float64(inCall(h))/float64(inCall(r)))
			cpu = append(cpu, h.cpu.Seconds()/r.cpu.Seconds())
		}
		fmt.Fprintf(&b, "%s: handset / baresip in-call RSS %s, CPU %s.\n", codecName(calls[0][0].codec), ratios(rss), ratios(cpu))
	}
	return b.String()
}

// medianCall is the call whose CPU is the median of calls (the lower of
// the middle two of an even number).
func medianCall(calls []figures) figures {
	sorted := slices.Clone(calls)
	slices.SortFunc(sorted, func(a, b figures) int { return cmp.Compare(a.cpu, b.cpu) })
	return sorted[(len(sorted)-1)/2]
}

// ratios writes one ratio, or each round's and their median.
func ratios(r []float64) string {
	if len(r) == 1 {
		return fmt.Sprintf("%.2f×", r[0])
	}
	parts := make([]string, len(r))
	for i, v := range r {
		parts[i] = fmt.Sprintf("%.2f", v)
	}
	sorted := slices.Clone(r)
	slices.Sort(sorted)
	return fmt.Sprintf("%.2f× (rounds: %s)", sorted[(len(sorted)-1)/2], strings.Join(parts, ", "))
}

func codecName(c string) string {
	if c == "PCMU" {
		return "G.711"
	}
	return "G.722"
}

// writeOut writes a Markdown part to HANDSET_BENCH_OUT (and the log).
func writeOut(t *testing.T, name, text string) {
	t.Helper()
	t.Logf("%s:\n%s", name, text)
	if dir := os.Getenv(outEnv); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func freeUDP(t *testing.T) int {
	t.Helper()
	return testpeer.FreeUDPPort(t, "127.0.0.1")
}
