// Package provision configures a phone from more than its SD card: it
// fetches the phone's configuration from an HTTPS server, keeps the last
// good copy on the data partition, layers it under the SD card's file, and
// writes the Wi-Fi settings for wpa_supplicant at boot.
//
// The layers, lowest precedence first, key by key (config.ParseLayers):
//
//	defaults → the server's handset.toml → the server's <mac>.toml → the SD card's handset.toml
//
// The server is [provisioning] url, or, when that is empty and dhcp is true,
// the host name DHCP option 66 gives (the DHCP client hook writes it to
// DefaultDHCPFile). A Client fetches <mac>.toml and handset.toml from it
// over HTTPS at start and then every [provisioning] interval. Fetched files
// replace the cached ones only when every fetch worked, at least one file
// was there, and neither fetched file has a problem in the layered
// configuration (config.ParseLayers); the cache is written atomically
// (temporary file, fsync, rename, directory fsync). A server that is down
// or answers with a bad file leaves the last good configuration in place.
//
// Applying a new configuration is the caller's job: Client.Run calls its
// changed function after the cache changed, and the phone restarts its
// software (cmd/handset exits with its "config changed" code and the
// supervisor starts it again, which loads the new layers with Files.Load).
//
// provision imports config and hal of ours, and the standard library.
package provision
