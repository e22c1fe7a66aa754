package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"handset/internal/testpeer"
)

// baresipModule names each codec's baresip module.
var baresipModule = map[string]string{"PCMU": "g711", "G722": "g722"}

// recorderLibs are the shared libraries baresip maps only for its WAV
// recorder (the sndfile module and libsndfile's formats): not part of a
// phone, so left out of its figures.
var recorderLibs = []string{"/libsndfile", "/libFLAC", "/libvorbis", "/libogg", "/libopus", "/libmp3lame", "/libmpg123", "/sndfile.so"}

// uaProc is a user agent process the comparison measures.
type uaProc interface {
	pid() int
}

// baresipUA is a running headless baresip: no terminal UI (commands and
// events over ctrl_tcp), audio from a WAV file (aufile), what it hears
// recorded by the sndfile filter, no audio player (none headless in
// 1.0.0).
type baresipUA struct {
	t      *testing.T
	cmd    *exec.Cmd
	dir    string
	sip    netip.AddrPort
	log    testpeer.LogBuffer
	ctrl   net.Conn
	events chan map[string]any
	exited chan struct{}
}

// startBaresip writes baresip's config and accounts into a temp dir
// (SIP, RTP and control on loopback only) and starts it: account 1001
// through proxy with one codec, microphone mic (a WAV at the codec's
// rate).
func startBaresip(t *testing.T, proxy, codec, mic string, rtp int) *baresipUA {
	t.Helper()
	bin, err := exec.LookPath("baresip")
	if err != nil {
		t.Fatalf("baresip is not installed (Debian package baresip-core): %v", err)
	}
	b := &baresipUA{t: t, dir: t.TempDir(), events: make(chan map[string]any, 1024), exited: make(chan struct{})}
	b.sip = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(testpeer.FreeUDPPort(t, "127.0.0.1")))
	ctrlPort := freeTCPPort(t)
	config := strings.Join([]string{
		"poll_method epoll",
		"sip_listen " + b.sip.String(),
		"net_interface 127.0.0.1",
		"call_local_timeout 120",
		"call_max_calls 4",
		"audio_source aufile," + mic,
		"audio_level no",
		"statmode_default off",
		fmt.Sprintf("rtp_ports %d-%d", rtp, rtp+98),
		"rtcp_mux no",
		"module_path /usr/lib/baresip/modules",
		"module " + baresipModule[codec] + ".so",
		"module aufile.so",
		"module sndfile.so",
		"module_app account.so",
		"module_app menu.so",
		"module_app ctrl_tcp.so",
		"ctrl_tcp_listen 127.0.0.1:" + strconv.Itoa(ctrlPort),
		"snd_path " + b.dir,
		"",
	}, "\n")
	account := fmt.Sprintf("<sip:1001@%s>;auth_pass=%s;outbound=\"sip:%s\";regint=3600;mwi=no;audio_codecs=%s\n",
		domain, users["1001"], proxy, codec)
	for name, text := range map[string]string{"config": config, "accounts": account} {
		if err := os.WriteFile(filepath.Join(b.dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b.cmd = exec.Command(bin, "-f", b.dir)
	b.cmd.Dir = b.dir
	b.cmd.Stdout, b.cmd.Stderr = &b.log, &b.log
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		b.cmd.Wait()
		close(b.exited)
	}()
	t.Cleanup(func() {
		b.stop()
		if t.Failed() {
			t.Logf("--- baresip log:\n%s", testpeer.Tail(b.log.String(), 60))
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.ctrl, err = net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(ctrlPort))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("baresip's ctrl_tcp never listened: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	go b.read()
	return b
}

func (b *baresipUA) pid() int { return b.cmd.Process.Pid }

// read turns ctrl_tcp's netstrings ("LEN:JSON,") into events.
func (b *baresipUA) read() {
	r := bufio.NewReader(b.ctrl)
	for {
		head, err := r.ReadString(':')
		if err != nil {
			return
		}
		n, err := strconv.Atoi(strings.TrimSuffix(head, ":"))
		if err != nil || n < 0 || n > 1<<20 {
			return
		}
		msg := make([]byte, n+1)
		if _, err := io.ReadFull(r, msg); err != nil {
			return
		}
		var m map[string]any
		if json.Unmarshal(msg[:n], &m) == nil && m["event"] == true {
			select {
			case b.events <- m:
			default:
			}
		}
	}
}

// do runs a command (a menu command such as dial, hangup, quit).
func (b *baresipUA) do(cmd, params string) {
	b.t.Helper()
	j, _ := json.Marshal(map[string]string{"command": cmd, "params": params, "token": cmd})
	if _, err := fmt.Fprintf(b.ctrl, "%d:%s,", len(j), j); err != nil {
		b.t.Fatalf("baresip: %s: %v", cmd, err)
	}
}

// wait returns the next event of type typ, skipping others.
func (b *baresipUA) wait(typ string, timeout time.Duration) map[string]any {
	b.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case e := <-b.events:
			if e["type"] == typ {
				return e
			}
			if e["type"] == "REGISTER_FAIL" {
				b.t.Fatalf("baresip: %v", e)
			}
		case <-b.exited:
			b.t.Fatalf("baresip exited while waiting for %s", typ)
		case <-deadline:
			b.t.Fatalf("baresip: no %s within %v", typ, timeout)
		}
	}
}

// stop quits baresip and waits for it to exit.
func (b *baresipUA) stop() {
	select {
	case <-b.exited:
		return
	default:
	}
	if b.ctrl != nil {
		j := `{"command":"quit","params":"","token":"quit"}`
		fmt.Fprintf(b.ctrl, "%d:%s,", len(j), j)
	}
	select {
	case <-b.exited:
	case <-time.After(10 * time.Second):
		b.cmd.Process.Kill()
		<-b.exited
	}
	if b.ctrl != nil {
		b.ctrl.Close()
	}
}

// heard returns the recording of what baresip decoded (sndfile's dump).
func (b *baresipUA) heard() (string, error) {
	m, err := filepath.Glob(filepath.Join(b.dir, "dump-*-dec.wav"))
	if err != nil || len(m) != 1 {
		return "", fmt.Errorf("baresip's decoder recording: found %v (%v)", m, err)
	}
	return m[0], nil
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
