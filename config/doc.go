// Package config reads the phone's provisioning file: one human-written,
// commented, versioned TOML file (DefaultPath, on the boot partition).
//
// The file is read by a small strict parser of our own (toml.go) rather than
// a TOML library, so that every problem in the file is reported at once,
// each with its line and key. Keys the file leaves out take the defaults of
// Default; unknown keys and tables, wrong types and out-of-range values are
// problems. A missing file is ErrNoConfig, distinct from an invalid one
// (Problems). Passwords are Secret values and never appear in logs or
// problem messages. ParseLayers reads several files as one configuration,
// key by key (the server's files under the SD card's, see package
// provision), each file's problems under its own name. Check backs "handset check-config FILE", which runs on a
// PC as well as on the phone.
//
// handset.example.toml at the top of the repository documents every key.
//
// config imports the standard library only, and nothing of ours.
package config
