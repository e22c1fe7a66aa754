package emu_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// guest is one boot of the arm64 test guest.
type guest struct {
	share   string        // mounted at /host; run.sh runs there
	sound   *pulse        // nil: no sound card
	timeout time.Duration // for the whole boot
}

var resultLine = regexp.MustCompile(`RESULT rc=(\d+)`)

// run boots the guest, waits for run.sh's result line and returns its exit
// code. The console goes to out/console.log. QEMU emulates the CPU in
// software (TCG): the host's KVM cannot run a stock guest kernel.
func (g guest) run(t *testing.T, e env) int {
	t.Helper()
	args := []string{
		"-machine", "virt", "-cpu", "cortex-a53", "-m", "512", "-accel", "tcg",
		// Two virtual CPUs on two host threads: the phone check runs three
		// processes, and with one the emulated card underruns about once a
		// second.
		"-smp", "2",
		"-nographic", "-no-reboot", "-nic", "none",
		"-kernel", filepath.Join(e.boot, "vmlinuz"), "-initrd", filepath.Join(e.boot, "initramfs.cpio.gz"),
		"-append", "console=ttyAMA0 panic=-1 quiet",
		"-virtfs", "local,path=" + g.share + ",mount_tag=emu,security_model=none,id=emu",
	}
	if g.sound != nil {
		args = append(args,
			"-audiodev", "pa,id=snd0,server=unix:"+g.sound.socket+
				",out.name=phone_spk,in.name=phone_mic.monitor,in.frequency=48000,out.frequency=48000",
			"-device", "intel-hda", "-device", "hda-duplex,audiodev=snd0")
	}
	ctx, cancel := context.WithTimeout(context.Background(), g.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "qemu-system-aarch64", args...)
	if g.sound != nil {
		cmd.Env = append(os.Environ(), "PULSE_SERVER=unix:"+g.sound.socket)
	}
	console, err := os.Create(filepath.Join(g.share, "out", "console.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer console.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("qemu: %v", err)
	}
	pw.Close()
	// The console goes to the log; the result line is passed on.
	result := make(chan int, 1)
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			fmt.Fprintln(console, sc.Text())
			if m := resultLine.FindStringSubmatch(sc.Text()); m != nil {
				rc, _ := strconv.Atoi(m[1])
				result <- rc
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	rc := -1
	select {
	case rc = <-result:
		t.Logf("guest: run.sh exited %d after %v", rc, time.Since(start).Round(time.Millisecond))
		// The guest powers off right after the result line.
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	case err := <-exited:
		t.Logf("qemu exited before a result: %v", err)
	}
	<-copied
	pr.Close()
	if rc < 0 {
		tail, _ := os.ReadFile(console.Name())
		t.Fatalf("guest gave no result within %v (%v); console:\n%s", g.timeout, ctx.Err(), lastLines(string(tail), 40))
	}
	return rc
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
