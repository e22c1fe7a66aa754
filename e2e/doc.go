// Package e2e tests the handset binary from the outside: it builds
// cmd/handset, runs it as a simulated phone (--sim) and talks to it through
// stdin commands, JSON events on stdout and recorded earpiece WAVs, against
// real peers on loopback: Kamailio as registrar/proxy and sipp.
//
// It has no code outside its tests.
package e2e
