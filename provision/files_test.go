package provision

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"handset/config"
)

// writeFile writes a test file, creating its directory.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFilesSources(t *testing.T) {
	dir := t.TempDir()
	f := Files{Local: filepath.Join(dir, "boot", "handset.toml"), Cache: filepath.Join(dir, "cache"), MAC: "b827eb000001"}
	names := func() []string {
		srcs, err := f.Sources()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range srcs {
			out = append(out, strings.TrimPrefix(s.Name, dir+"/"))
		}
		return out
	}
	if got := names(); len(got) != 0 {
		t.Errorf("no files: sources %v", got)
	}
	if _, err := f.Load(); !errors.Is(err, config.ErrNoConfig) {
		t.Errorf("Load with no file = %v, want ErrNoConfig", err)
	}
	writeFile(t, f.Local, "version = 1\n")
	writeFile(t, filepath.Join(f.Cache, "b827eb000001.toml"), "version = 1\n")
	writeFile(t, filepath.Join(f.Cache, "b827eb999999.toml"), "version = 1\n") // another phone's
	writeFile(t, filepath.Join(f.Cache, "handset.toml"), "version = 1\n")
	if got, want := names(), []string{"cache/handset.toml", "cache/b827eb000001.toml", "boot/handset.toml"}; !slices.Equal(got, want) {
		t.Errorf("sources %v, want %v", got, want)
	}
	f.MAC = ""
	if got, want := names(), []string{"cache/handset.toml", "boot/handset.toml"}; !slices.Equal(got, want) {
		t.Errorf("without a MAC: sources %v, want %v", got, want)
	}
	writeFile(t, filepath.Join(f.Cache, "handset.toml"), strings.Repeat("#", maxFileSize+1))
	if _, err := f.Sources(); !errors.Is(err, errTooLarge) {
		t.Errorf("oversized file: %v", err)
	}
}

func TestFilesLoadNamesEachFile(t *testing.T) {
	dir := t.TempDir()
	f := Files{Local: filepath.Join(dir, "handset.toml"), Cache: filepath.Join(dir, "cache")}
	writeFile(t, filepath.Join(f.Cache, "handset.toml"), "version = 1\n[account]\nexpiry = 1\n")
	writeFile(t, f.Local, "version = 1\n[media]\njitter_ms = 1\n")
	_, err := f.Load()
	var probs config.Problems
	if !errors.As(err, &probs) || len(probs) != 2 {
		t.Fatalf("Load = %v, want 2 problems", err)
	}
	if probs[0].File != filepath.Join(f.Cache, "handset.toml") || probs[1].File != f.Local {
		t.Errorf("problems name %q and %q", probs[0].File, probs[1].File)
	}
}
