package bench

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"handset/internal/testpeer"
	"handset/mediapath/detect"
	"handset/wav"
)

// The bench's SIP domain and users: 1001 calls, 1002 answers.
const domain = "handset.test"

var users = map[string]string{"1001": "secret-1001", "1002": "secret-1002"}

// payloadType is each codec's static RTP payload type.
var payloadType = map[string]int{"PCMU": 0, "G722": 9}

// codecRate is the audio rate of each codec, which the microphone
// recording and the card run at.
var codecRate = map[string]int{"PCMU": 8000, "G722": 16000}

// pbx is the peer both user agents call through: Kamailio (registrar and
// proxy with digest auth) and, registered as 1002, sipp answering each
// call at once.
type pbx struct {
	k          *testpeer.Kamailio
	calleePort int
}

func startPBX(t *testing.T) pbx {
	t.Helper()
	k := testpeer.StartKamailio(t, testpeer.KamailioConfig{Users: users, Domain: domain, Addr: "127.0.0.1:0"})
	port := testpeer.FreeUDPPort(t, "127.0.0.1")
	reg := testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "../testpeer/testdata/register.xml", Remote: k.Addr().String(), Port: port,
		Args: []string{"-s", "1002", "-au", "1002", "-ap", users["1002"], "-key", "domain", domain, "-key", "expires", "3600"},
	})
	if err := reg.Wait(); err != nil {
		t.Fatalf("registering the callee: %v", err)
	}
	return pbx{k: k, calleePort: port}
}

// answer starts the callee for one call: scenario answer_echo.xml (sipp
// echoes the RTP) or answer_far.xml (media to farPort).
func (p pbx) answer(t *testing.T, scenario, codec string, length time.Duration, farPort int) *testpeer.Sipp {
	t.Helper()
	args := []string{"-key", "pt", strconv.Itoa(payloadType[codec]), "-key", "codec", codec}
	if farPort > 0 {
		args = append(args, "-key", "far_port", strconv.Itoa(farPort))
	} else {
		args = append(args, "-rtp_echo")
	}
	return testpeer.StartSipp(t, testpeer.SippConfig{
		Scenario: "testdata/" + scenario, Port: p.calleePort, Timeout: length + 2*time.Minute, Args: args,
	})
}

// writeWAV writes mono samples at rate to path.
func writeWAV(t *testing.T, path string, samples []int16, rate int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := wav.NewWriter(f, rate, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(samples); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// readWAV reads a mono (or down-mixed) recording.
func readWAV(t *testing.T, path string) ([]int16, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	samples, rate, ch, err := wav.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if ch > 1 {
		mono := make([]int16, len(samples)/ch)
		for i := range mono {
			mono[i] = samples[i*ch]
		}
		samples = mono
	}
	return samples, rate
}

// toneWAV makes length of a 1 kHz tone at 0.3 of full scale.
func toneWAV(rate int, length time.Duration) []int16 {
	s := make([]int16, int(int64(rate)*int64(length)/int64(time.Second)))
	for i := range s {
		s[i] = int16(math.Round(0.3 * math.MaxInt16 * math.Sin(2*math.Pi*1000*float64(i)/float64(rate))))
	}
	return s
}

// heardTone is how long the 1 kHz tone sounds in a recording.
func heardTone(samples []int16, rate int) time.Duration {
	var total time.Duration
	for _, s := range detect.Find(samples, rate, 1000, 200*time.Millisecond) {
		total += s.End - s.Start
	}
	return total
}

// rtpBase hands each user agent its own RTP port range.
var rtpBase = 30000

func nextRTP() int {
	rtpBase += 200
	return rtpBase - 200
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
