// Package testpeer starts real SIP peers on loopback for end-to-end tests:
// a Kamailio registrar and proxy with digest auth (StartKamailio) and SIPp
// scenarios (StartSipp). It is test support: only _test.go files import it.
//
// Each peer runs as a child process in its own process group, with its
// configuration, logs and traces in the test's t.TempDir(), and t.Cleanup
// stops it. When a peer's program is not installed the test is skipped,
// unless HANDSET_REQUIRE_PEERS=1 is set, which turns the skip into a failure.
//
// testpeer imports the standard library only, nothing of ours.
package testpeer
