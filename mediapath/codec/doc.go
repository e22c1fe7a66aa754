// Package codec holds the voice codecs the phone speaks on the wire and the
// Codec interface the audio engine drives them through.
//
// G.711 µ-law (PCMU) and A-law (PCMA) are implemented here from the ITU-T
// G.711 definition. G.722 (wideband, 16 kHz) is our own implementation in
// codec/g722, wrapped here with its per-call state. Encoding and decoding
// work on caller-owned buffers and never allocate.
//
// codec imports the standard library and codec/g722; its tests also import
// github.com/gotranspile/g722, the reference ours is checked against bit
// for bit.
package codec
