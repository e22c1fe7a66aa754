// Package bench measures the phone for scripts/bench and
// docs/PERFORMANCE.md: the handset in the simulator side by side with
// baresip in the same calls (memory, CPU, call setup, RTP), and the delay
// the handset adds each way.
//
// Its library part is the measuring equipment: a capture of the loopback
// interface with kernel timestamps (Capture), the reading of SIP and RTP
// off it (FindCall), /proc figures (ReadProc), an impairing UDP relay
// (Relay), an RTP far end that sends clicks (FarEnd), the handset's
// --audio-trace (ReadAudioTrace) and the matching of clicks into
// latencies (MicToWire, WireToSpeaker). The bench itself is TestBench*,
// which runs only with HANDSET_BENCH=1; it drives the real binary,
// Kamailio, sipp and baresip. The command sipfloor (below this package) is
// the smallest user agent sipgo allows: TestBenchFloor measures it as the
// memory floor of any phone built on sipgo.
//
// bench is a tool, never linked into the handset binary. It may import
// anything of ours (the codecs, the WAV and tone-detection code, and, from
// tests, internal/testpeer).
package bench
