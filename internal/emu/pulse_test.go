package emu_test

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// pulse is a private PulseAudio daemon with two null sinks: phone_spk
// takes what the guest's card plays (recorded from its monitor) and
// phone_mic is what the card captures (fed by the test). QEMU's HDA card
// talks to it, paced in real time.
type pulse struct {
	dir    string
	socket string
}

const pulseRate = 48000

// startPulse starts the daemon in a folder of its own and stops it when t
// ends.
func startPulse(t *testing.T) *pulse {
	t.Helper()
	// The socket path must stay short (108 bytes): no t.TempDir here.
	dir, err := os.MkdirTemp("", "pa-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := &pulse{dir: dir, socket: filepath.Join(dir, "native")}
	cmd := exec.Command("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
		"--system=false", "--disable-shm=yes",
		"-L", "module-native-protocol-unix auth-anonymous=1 socket="+p.socket,
		"-L", "module-null-sink sink_name=phone_spk rate=48000 channels=2",
		"-L", "module-null-sink sink_name=phone_mic rate=48000 channels=2")
	cmd.Env = p.env()
	log, err := os.Create(filepath.Join(dir, "pulseaudio.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("pulseaudio: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		log.Close()
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		info := exec.Command("pactl", "info")
		info.Env = p.env()
		if info.Run() == nil {
			return p
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(log.Name())
			t.Fatalf("pulseaudio did not come up:\n%s", b)
		}
	}
}

func (p *pulse) env() []string {
	return append(os.Environ(), "HOME="+p.dir, "PULSE_RUNTIME_PATH="+p.dir, "PULSE_SERVER=unix:"+p.socket)
}

// playTone feeds a sine of hz (amplitude 0.5) into phone_mic, what the
// guest's microphone hears, until t ends.
func (p *pulse) playTone(t *testing.T, hz float64) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "pacat", "--playback", "-d", "phone_mic", "--raw",
		"--rate=48000", "--channels=1", "--format=s16le")
	cmd.Env = p.env()
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("pacat: %v", err)
	}
	go func() {
		// pacat takes the samples in real time: the pipe paces this loop.
		buf := make([]byte, 2*pulseRate/10)
		phase, step := 0.0, 2*math.Pi*hz/pulseRate
		for {
			for i := 0; i < len(buf); i += 2 {
				binary.LittleEndian.PutUint16(buf[i:], uint16(int16(0.5*32767*math.Sin(phase))))
				phase = math.Mod(phase+step, 2*math.Pi)
			}
			if _, err := in.Write(buf); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		in.Close()
		cmd.Wait()
	})
}

// recorder records phone_spk's monitor: what the guest's card played.
type recorder struct {
	cmd  *exec.Cmd
	file string
}

// record starts recording phone_spk (48 kHz stereo).
func (p *pulse) record(t *testing.T) *recorder {
	t.Helper()
	r := &recorder{file: filepath.Join(p.dir, "spk.raw")}
	out, err := os.Create(r.file)
	if err != nil {
		t.Fatal(err)
	}
	r.cmd = exec.Command("parec", "-d", "phone_spk.monitor", "--raw", "--rate=48000", "--channels=2", "--format=s16le")
	r.cmd.Env = p.env()
	r.cmd.Stdout = out
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("parec: %v", err)
	}
	out.Close()
	t.Cleanup(func() { r.stop() })
	return r
}

// stop ends the recording and returns it, channel by channel.
func (r *recorder) stop() (left, right []int16, err error) {
	if r.cmd.Process != nil && r.cmd.ProcessState == nil {
		r.cmd.Process.Signal(syscall.SIGTERM)
		r.cmd.Wait()
	}
	b, err := os.ReadFile(r.file)
	if err != nil {
		return nil, nil, err
	}
	if len(b) < 4 {
		return nil, nil, errors.New("nothing recorded")
	}
	n := len(b) / 4
	left, right = make([]int16, n), make([]int16, n)
	for i := range n {
		left[i] = int16(binary.LittleEndian.Uint16(b[4*i:]))
		right[i] = int16(binary.LittleEndian.Uint16(b[4*i+2:]))
	}
	return left, right, nil
}
