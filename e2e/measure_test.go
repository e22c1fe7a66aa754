package e2e

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"handset/internal/testpeer"
)

// procStatus reads a kB field (VmRSS, VmHWM) of /proc/PID/status.
func procStatus(t *testing.T, pid int, field string) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// cpuTime is the user+system CPU time the process has used.
func cpuTime(t *testing.T, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the ")" that ends the command name; utime and stime are
	// fields 14 and 15 of the whole line, in clock ticks (100 Hz on Linux).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// TestMeasureCall holds a registered phone idle, then in a call with a
// callee that answers at once and echoes RTP, and checks that the call
// stays healthy all along. It reports the phone's footprint and timing;
// HANDSET_MEASURE_CALL sets the call length (default 10s; scripts/measure
// uses 30s) and HANDSET_REPORT names a file to append the figures to.
func TestMeasureCall(t *testing.T) {
	length := 10 * time.Second
	if v := os.Getenv("HANDSET_MEASURE_CALL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("HANDSET_MEASURE_CALL: %v", err)
		}
		length = d
	}
	k := startPBX(t, 0)
	// The callee, 1002, is sipp: one run registers it, the next (on the
	// same port) answers at once and echoes RTP.
	calleePort := testpeer.FreeUDPPort(t, "127.0.0.1")
	reg := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "../internal/testpeer/testdata/register.xml", Remote: k.Addr().String(), Port: calleePort,
		Args: []string{"-s", "1002", "-au", "1002", "-ap", testUsers["1002"], "-key", "domain", testDomain, "-key", "expires", "3600"},
	})
	if err := reg.Wait(); err != nil {
		t.Fatalf("registering the callee: %v", err)
	}
	uas := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "testdata/uas_answer.xml", Port: calleePort, Timeout: length + time.Minute, Args: []string{"-rtp_echo"},
	})
	p := startPhone(t, "A", phoneOpts{config: pbxAccount(t, k, "1001", testUsers["1001"]).toml(), mic: 1000, quiet: true})
	pid := p.Pid()
	p.WaitEvent("registration", registered, 10*time.Second)
	time.Sleep(2 * time.Second)
	idleRSS := procStatus(t, pid, "VmRSS")

	p.Do("offhook")
	p.Do("dial 1002#")
	started := p.WaitEvent("call-started", nil, 5*time.Second)
	connected := p.WaitEvent("call-connected", nil, 10*time.Second)
	cpu0 := cpuTime(t, pid)
	maxRSS := 0
	for end := time.Now().Add(length); time.Now().Before(end); time.Sleep(time.Second) {
		maxRSS = max(maxRSS, procStatus(t, pid, "VmRSS"))
	}
	cpu := cpuTime(t, pid) - cpu0
	anon, file := procStatus(t, pid, "RssAnon"), procStatus(t, pid, "RssFile")
	p.Do("onhook")
	ended := p.WaitEvent("call-ended", nil, 5*time.Second)
	if err := uas.Wait(); err != nil {
		t.Fatalf("callee: %v", err)
	}
	hwm := procStatus(t, pid, "VmHWM")

	stats, _ := ended["stats"].(map[string]any)
	sent, _ := stats["PacketsSent"].(float64)
	got, _ := stats["PacketsReceived"].(float64)
	periods := length.Seconds() * 50
	if sent < 0.9*periods || got < 0.9*periods {
		t.Errorf("in %v: sent %v and received %v packets, want ≥ %.0f each", length, sent, got, 0.9*periods)
	}
	heard := p.heard(1000)
	if heard < length*8/10 {
		t.Errorf("heard the echoed tone for %v of a %v call", heard, length)
	}
	setup := time.Duration(connected.Num("setup_time"))
	at := func(e event) time.Time { ts, _ := time.Parse(time.RFC3339Nano, e.Str("time")); return ts }
	firstRTP, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(stats["FirstRTPSent"]))
	report := fmt.Sprintf(`| figure | value |
|---|---|
| RSS, registered and idle | %.1f MB |
| RSS in a %v G.711 call (max sampled / VmHWM) | %.1f MB / %.1f MB |
| of which, at the end: heap and stacks / mapped binary | %.1f MB / %.1f MB |
| CPU for the call | %.2f s (%.2f %% of one core) |
| INVITE → 200 OK (loopback, callee answers at once) | %v |
| 200 OK → first RTP sent | %v |
| call started → connected event | %v |
| RTP packets sent / received | %.0f / %.0f |
| echoed tone heard | %v |
`, float64(idleRSS)/1024, length, float64(maxRSS)/1024, float64(hwm)/1024, float64(anon)/1024, float64(file)/1024,
		cpu.Seconds(), 100*cpu.Seconds()/length.Seconds(),
		setup.Round(10*time.Microsecond), firstRTP.Sub(at(connected)).Round(10*time.Microsecond),
		at(connected).Sub(at(started)).Round(10*time.Microsecond), sent, got, heard.Round(10*time.Millisecond))
	t.Log("\n" + report)
	if path := os.Getenv("HANDSET_REPORT"); path != "" {
		if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
