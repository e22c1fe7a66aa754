package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// change is a new content for one file of a directory; nil data removes
// the file.
type change struct {
	name string
	data []byte
}

// replaceFiles applies changes to the files in dir (created with mode 0700
// if missing), so that a power cut leaves each file either old or new,
// never half written: each new content goes to a temporary file in dir that
// is fsynced, then all are renamed into place back to back, and the
// directory is fsynced. New files get mode perm.
func replaceFiles(dir string, changes []change, perm fs.FileMode) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	temps := make([]string, len(changes))
	defer func() {
		for _, t := range temps {
			if t != "" {
				os.Remove(t)
			}
		}
	}()
	for i, ch := range changes {
		if ch.data == nil {
			continue
		}
		name, err := writeTemp(dir, ch.name, ch.data, perm)
		temps[i] = name
		if err != nil {
			return err
		}
	}
	for i, ch := range changes {
		path := filepath.Join(dir, ch.name)
		if ch.data == nil {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove %s: %w", path, err)
			}
			continue
		}
		if err := os.Rename(temps[i], path); err != nil {
			return fmt.Errorf("replace %s: %w", path, err)
		}
		temps[i] = ""
	}
	return syncDir(dir)
}

// writeFileAtomic replaces one file the way replaceFiles does.
func writeFileAtomic(path string, data []byte, perm fs.FileMode) error {
	if data == nil {
		data = []byte{}
	}
	return replaceFiles(filepath.Dir(path), []change{{filepath.Base(path), data}}, perm)
}

// writeTemp writes data to a new temporary file in dir, fsynced, and
// returns its name (also on failure, for the caller to remove).
func writeTemp(dir, base string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", filepath.Join(dir, base), err)
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return name, fmt.Errorf("write %s: %w", filepath.Join(dir, base), err)
	}
	return name, nil
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
