package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxFileSize bounds the file Load reads; a real one is a few kilobytes.
const maxFileSize = 1 << 20

// Parse reads a configuration file's contents; name is used in problem
// messages. It returns every problem at once, as Problems, when the file is
// invalid; the Config is then the zero value.
func Parse(name string, data []byte) (Config, error) {
	return ParseLayers(Source{Name: name, Data: data})
}

// Load reads and parses the file at path. A missing file gives an error
// wrapping ErrNoConfig; an invalid one gives Problems.
func Load(path string) (Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Config{}, fmt.Errorf("%w: %s", ErrNoConfig, path)
	}
	if err != nil {
		return Config{}, fmt.Errorf("load config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return Config{}, fmt.Errorf("load config %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return Config{}, fmt.Errorf("load config %s: %w (over %d bytes)", path, errTooLarge, maxFileSize)
	}
	return Parse(path, data)
}
