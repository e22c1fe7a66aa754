// Package rtcp reads and writes the RTP Control Protocol packets a phone
// needs (RFC 3550 §6): sender and receiver reports with their report
// blocks, the source description carrying the CNAME, and BYE; and the NTP
// time format they use.
//
// Marshalling writes into caller-owned buffers and parsing fills
// caller-owned structs, so nothing allocates per packet. Other packet
// types are skipped when reading.
//
// rtcp imports the standard library only.
package rtcp
