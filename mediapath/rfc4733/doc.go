// Package rfc4733 builds and reads RTP telephone-event payloads (RFC 4733,
// DTMF over RTP): the 4-byte event, a Sender that paces one event into
// 20 ms packets with three end packets, and a Receiver that reports each
// event once however many of its packets arrive.
//
// Nothing here allocates per packet. None of it is safe for concurrent use;
// the audio engine guards it.
//
// rfc4733 imports the standard library only.
package rfc4733
