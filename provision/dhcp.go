package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
)

// The DHCP client hook on the image (board/common/overlay/usr/share/udhcpc/
// default.script.d/handset-opt66) writes DHCP option 66, "TFTP server
// name", as udhcpc passes it in $tftp, to DefaultDHCPFile. BusyBox's udhcpc
// accepts only a plain host name there and replaces anything else with
// "bad"; other DHCP clients pass URLs too. ParseOption66 takes:
//
//	prov.example.com                   → https://prov.example.com/
//	prov.example.com:8443/phones       → https://prov.example.com:8443/phones/
//	https://prov.example.com/phones/   → as is
//
// and refuses every other scheme (tftp://, http://), since the phone fetches
// its configuration over HTTPS only.

// ParseOption66 turns the value of DHCP option 66 into the base URL of the
// provisioning server, ending in "/". Surrounding spaces and trailing NUL
// bytes are ignored.
func ParseOption66(raw string) (string, error) {
	s := strings.TrimSpace(strings.TrimRight(raw, "\x00"))
	switch {
	case s == "":
		return "", fmt.Errorf("%w: DHCP option 66 is empty", ErrNoServer)
	case s == "bad":
		return "", errors.New(`DHCP option 66 is not a plain host name (udhcpc reports "bad"): set it to e.g. prov.example.com`)
	case !strings.Contains(s, "://"):
		s = "https://" + s
	}
	u, err := serverURL(s)
	if err != nil {
		return "", fmt.Errorf("DHCP option 66: %w", err)
	}
	return u, nil
}

// serverURL checks the address of a provisioning server and returns it as
// a directory URL, ending in "/".
func serverURL(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Opaque != "":
		return "", fmt.Errorf("%q is not a URL", s)
	case u.User != nil:
		return "", errors.New("the address must not hold a user name or password")
	case !strings.EqualFold(u.Scheme, "https"):
		return "", fmt.Errorf("%w (got %s://)", errNotHTTPS, u.Scheme)
	case u.Hostname() == "":
		return "", fmt.Errorf("%q names no server", s)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", fmt.Errorf("%q must name a directory, without \"?\" or \"#\"", s)
	}
	u.Scheme = "https"
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u.String(), nil
}

// readOption66 reads the option the DHCP hook wrote to path; no file means
// no option (yet).
func readOption66(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: no [provisioning] url, and DHCP gave no option 66 (%s)", ErrNoServer, path)
	}
	if err != nil {
		return "", fmt.Errorf("read DHCP option 66: %w", err)
	}
	return ParseOption66(string(data))
}
