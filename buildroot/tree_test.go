package buildroot

import (
	"bufio"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// models are the [board] models the images are built for.
var models = []string{"pi-zero-w", "pi-zero-2-w", "pi-3", "pi-4"}

// TestPostBuildIdempotent runs post-build.sh twice on a target with an
// fstab and inittab like Buildroot's skeleton, plus an older /boot line:
// the result has exactly one line of each kind it adds, and keeps the rest.
func TestPostBuildIdempotent(t *testing.T) {
	target := t.TempDir()
	fstab := "# <file system>\t<mount pt>\t<type>\t<options>\t<dump>\t<pass>\n" +
		"/dev/root\t/\text2\trw,noauto\t0\t1\n" +
		"proc\t\t/proc\t\tproc\tdefaults\t0\t0\n" +
		"tmpfs\t\t/tmp\t\ttmpfs\tmode=1777\t0\t0\n" +
		"# /dev/sda1 /boot vfat defaults 0 0\n" +
		"/dev/mmcblk0p1 /boot vfat defaults 0 0\n"
	inittab := "::sysinit:/bin/mount -a\n::sysinit:/etc/init.d/rcS\n::shutdown:/etc/init.d/rcK\n"
	writeFile(t, filepath.Join(target, "etc/fstab"), fstab)
	writeFile(t, filepath.Join(target, "etc/inittab"), inittab)
	writeFile(t, filepath.Join(target, "root/.ssh/authorized_keys"), "stale\n")

	for run := 1; run <= 3; run++ {
		out, err := exec.Command("sh", "board/common/post-build.sh", target, "pi-zero-w").CombinedOutput()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out)
		}
		gotFstab := readFile(t, filepath.Join(target, "etc/fstab"))
		gotInittab := readFile(t, filepath.Join(target, "etc/inittab"))
		counts := []struct {
			text, pattern string
			want          int
		}{
			{gotFstab, `(?m)^/dev/mmcblk0p1\t/boot\tvfat\tro,noatime,nodev,nosuid,noexec,fmask=0177,dmask=0077\t0\t0$`, 1},
			{gotFstab, `(?m)^[^#\s]\S*\s+/boot\s`, 1},
			{gotFstab, `(?m)^/dev/mmcblk0p3\t/data\text4\trw,`, 1},
			{gotFstab, `(?m)^[^#\s]\S*\s+/data\s`, 1},
			{gotFstab, `(?m)^# /dev/sda1 /boot`, 1},
			{gotFstab, `(?m)^tmpfs\t\t/tmp\t`, 1},
			{gotInittab, `(?m)^::respawn:/usr/sbin/handset-supervise$`, 1},
			{gotInittab, `(?m)^::sysinit:/etc/init.d/rcS$`, 1},
		}
		for _, c := range counts {
			if n := len(regexp.MustCompile(c.pattern).FindAllString(c.text, -1)); n != c.want {
				t.Errorf("run %d: %d lines match %s, want %d:\n%s", run, n, c.pattern, c.want, c.text)
			}
		}
		if link, err := os.Readlink(filepath.Join(target, "root/.ssh")); err != nil || link != "/run/handset/ssh" {
			t.Errorf("run %d: /root/.ssh = %q, %v; want a link to /run/handset/ssh", run, link, err)
		}
		for _, dir := range []string{"boot", "data"} {
			if fi, err := os.Stat(filepath.Join(target, dir)); err != nil || !fi.IsDir() {
				t.Errorf("run %d: no /%s mount point: %v", run, dir, err)
			}
		}
	}
}

// TestDefconfigs checks the settings the image relies on, and that every
// file a defconfig names in this tree exists.
func TestDefconfigs(t *testing.T) {
	paths, err := filepath.Glob("configs/*_defconfig")
	if err != nil || len(paths) != 4 {
		t.Fatalf("defconfigs: %v, %v; want 4", paths, err)
	}
	required := []string{
		"BR2_PACKAGE_HANDSET=y",
		"BR2_PACKAGE_HOST_GO_BIN=y",
		"# BR2_TARGET_GENERIC_REMOUNT_ROOTFS_RW is not set",
		"BR2_ROOTFS_DEVICE_CREATION_DYNAMIC_MDEV=y",
		"BR2_DOWNLOAD_FORCE_CHECK_HASHES=y",
		"BR2_PACKAGE_CA_CERTIFICATES=y",
		"BR2_PACKAGE_WPA_SUPPLICANT=y",
		"BR2_PACKAGE_BRCMFMAC_SDIO_FIRMWARE_RPI_WIFI=y",
		"BR2_PACKAGE_KMOD=y",
		`BR2_ROOTFS_OVERLAY="$(BR2_EXTERNAL_HANDSET_PATH)/board/common/overlay"`,
		`BR2_ROOTFS_POST_IMAGE_SCRIPT="$(BR2_EXTERNAL_HANDSET_PATH)/board/common/post-image.sh"`,
		`BR2_PACKAGE_RPI_FIRMWARE_CMDLINE_FILE="$(BR2_EXTERNAL_HANDSET_PATH)/board/common/cmdline.txt"`,
		`BR2_PACKAGE_BUSYBOX_CONFIG_FRAGMENT_FILES="$(BR2_EXTERNAL_HANDSET_PATH)/board/common/busybox.fragment"`,
	}
	ref := regexp.MustCompile(`\$\(BR2_EXTERNAL_HANDSET_PATH\)/([^" ]+)`)
	var seen []string
	for _, p := range paths {
		lines := readLines(t, p)
		for _, r := range required {
			if !slices.Contains(lines, r) {
				t.Errorf("%s lacks %s", p, r)
			}
		}
		for _, l := range lines {
			for _, m := range ref.FindAllStringSubmatch(l, -1) {
				if _, err := os.Stat(m[1]); err != nil {
					t.Errorf("%s names %s: %v", p, m[1], err)
				}
			}
		}
		model := value(lines, "BR2_ROOTFS_POST_SCRIPT_ARGS")
		if !slices.Contains(models, model) || slices.Contains(seen, model) {
			t.Errorf("%s: board model %q: want one of %v, once each", p, model, models)
		}
		seen = append(seen, model)
		if !strings.HasPrefix(value(lines, "BR2_ROOTFS_POST_BUILD_SCRIPT"), "board/raspberrypi") {
			t.Errorf("%s: the stock Raspberry Pi post-build script must run first", p)
		}
		configTxt := strings.Replace(value(lines, "BR2_PACKAGE_RPI_FIRMWARE_CONFIG_FILE"), "$(BR2_EXTERNAL_HANDSET_PATH)/", "", 1)
		kernel := "kernel=zImage"
		if slices.Contains(lines, "BR2_aarch64=y") {
			kernel = "kernel=Image"
		}
		cfg := readLines(t, configTxt)
		for _, want := range []string{kernel, "dtparam=watchdog=on", "#dtparam=i2s=on"} {
			if !slices.Contains(cfg, want) {
				t.Errorf("%s lacks %q", configTxt, want)
			}
		}
	}
}

// TestCmdline checks the kernel command line: root on p2, read-only.
func TestCmdline(t *testing.T) {
	fields := strings.Fields(readFile(t, "board/common/cmdline.txt"))
	for _, want := range []string{"root=/dev/mmcblk0p2", "rootwait", "ro"} {
		if !slices.Contains(fields, want) {
			t.Errorf("cmdline.txt lacks %q: %v", want, fields)
		}
	}
}

// TestTemplateLines checks that handset.example.toml still has the lines
// post-image.sh sets for each board.
func TestTemplateLines(t *testing.T) {
	lines := readLines(t, "../handset.example.toml")
	for _, want := range []string{`model = "sim"`, `watchdog = ""`} {
		n := 0
		for _, l := range lines {
			if l == want {
				n++
			}
		}
		if n != 1 {
			t.Errorf("handset.example.toml has %d lines %q, want 1 (post-image.sh rewrites it)", n, want)
		}
	}
}

// scripts lists every shell script of the image and the scripts/ helpers.
func scripts(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("board", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(path, ".sh") || strings.Contains(path, "/init.d/") || strings.Contains(path, "/usr/sbin/") ||
			strings.Contains(path, "/default.script.d/") || strings.Contains(path, "/etc/default/") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(out, "../scripts/image", "../scripts/flash", "../scripts/check-buildroot")
}

// TestScriptsExecutable checks the mode git must keep: init scripts and
// hooks only run when executable.
func TestScriptsExecutable(t *testing.T) {
	for _, p := range scripts(t) {
		if strings.Contains(p, "/etc/default/") {
			continue // sourced, not run
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s is not executable", p)
		}
	}
}

func TestShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skip("shellcheck is not installed (apt-get install shellcheck)")
	}
	out, err := exec.Command("shellcheck", scripts(t)...).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// TestCheckBuildroot runs the offline Buildroot checks when a Buildroot
// tree is given.
func TestCheckBuildroot(t *testing.T) {
	if os.Getenv("HANDSET_BUILDROOT") == "" {
		t.Skip("HANDSET_BUILDROOT is not set: the Buildroot checks (scripts/check-buildroot) need an unpacked Buildroot 2026.05.1")
	}
	out, err := exec.Command("../scripts/check-buildroot").CombinedOutput()
	t.Logf("scripts/check-buildroot:\n%s", out)
	if err != nil {
		t.Errorf("scripts/check-buildroot: %v", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(readFile(t, path)))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// value returns a defconfig symbol's value, unquoted.
func value(lines []string, symbol string) string {
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, symbol+"="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}
