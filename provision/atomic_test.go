package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplaceFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	if err := replaceFiles(dir, []change{{"a.toml", []byte("one")}, {"b.toml", []byte("two")}}, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := replaceFiles(dir, []change{{"a.toml", []byte("three")}, {"b.toml", nil}, {"c.toml", nil}}, 0o600); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "a.toml" {
		t.Fatalf("dir holds %v, want only a.toml (no temporary files)", entries)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "a.toml"))
	fi, _ := os.Stat(filepath.Join(dir, "a.toml"))
	if string(data) != "three" || fi.Mode().Perm() != 0o600 {
		t.Errorf("a.toml = %q, mode %v", data, fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode %v, want 0700", di.Mode().Perm())
	}
}

func TestReplaceFilesFailureLeavesOldFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.toml"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	// b.toml is a non-empty directory, so renaming over it fails after
	// a.toml's temporary file was written.
	if err := os.MkdirAll(filepath.Join(dir, "b.toml", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	err := replaceFiles(dir, []change{{"b.toml", []byte("new b")}, {"a.toml", []byte("new a")}}, 0o600)
	if err == nil {
		t.Fatal("replaceFiles over a directory succeeded")
	}
	data, _ := os.ReadFile(filepath.Join(dir, "a.toml"))
	if string(data) != "old" {
		t.Errorf("a.toml = %q after a failed replace, want the old content", data)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
