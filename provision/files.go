package provision

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"handset/config"
)

// Where the phone keeps its provisioning state on the image.
const (
	// DefaultCacheDir holds the last good files fetched from the server,
	// on the data partition.
	DefaultCacheDir = "/data/handset/provisioning"
	// DefaultDHCPFile is where the DHCP client hook writes option 66.
	DefaultDHCPFile = "/run/handset/dhcp-opt66"
	// DefaultWiFiFile is the wpa_supplicant configuration written at boot,
	// on tmpfs.
	DefaultWiFiFile = "/run/handset/wpa_supplicant.conf"
)

// CommonName is the server's file for every phone.
const CommonName = "handset.toml"

// maxFileSize bounds the files read and fetched; a real one is a few
// kilobytes.
const maxFileSize = 1 << 20

// Files names the configuration files of one phone: the SD card's file and
// the server's files cached on the data partition.
type Files struct {
	// Local is the SD card's file, e.g. config.DefaultPath.
	Local string
	// Cache is the directory of the cached server files, e.g.
	// DefaultCacheDir; "" for none.
	Cache string
	// MAC names the phone's own file on the server: lower-case hex without
	// colons (see LocalMAC); "" for none.
	MAC string
}

// perMACName is the name of the phone's own file on the server.
func (f Files) perMACName() string {
	if f.MAC == "" {
		return ""
	}
	return f.MAC + ".toml"
}

// Sources reads the layers that exist, lowest precedence first: the cached
// handset.toml, the cached <mac>.toml, the SD card's file. Each is named by
// its path in problem messages. A missing file is skipped; a file that
// cannot be read is an error.
func (f Files) Sources() ([]config.Source, error) {
	var paths []string
	if f.Cache != "" {
		paths = append(paths, filepath.Join(f.Cache, CommonName))
		if name := f.perMACName(); name != "" {
			paths = append(paths, filepath.Join(f.Cache, name))
		}
	}
	if f.Local != "" {
		paths = append(paths, f.Local)
	}
	var srcs []config.Source
	for _, p := range paths {
		data, err := readLimited(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, config.Source{Name: p, Data: data})
	}
	return srcs, nil
}

// Load reads the layers as one configuration (config.ParseLayers). With no
// file at all it returns an error wrapping config.ErrNoConfig; an invalid
// configuration gives config.Problems, each naming its file.
func (f Files) Load() (config.Config, error) {
	srcs, err := f.Sources()
	if err != nil {
		return config.Config{}, err
	}
	if len(srcs) == 0 {
		return config.Config{}, fmt.Errorf("%w: %s", config.ErrNoConfig, f.Local)
	}
	return config.ParseLayers(srcs...)
}

// readLimited reads a file of at most maxFileSize bytes.
func readLimited(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("read %s: %w (over %d bytes)", path, errTooLarge, maxFileSize)
	}
	return data, nil
}
