// Package codec holds the voice codecs the phone speaks on the wire and the
// Codec interface the audio engine drives them through.
//
// G.711 µ-law (PCMU) and A-law (PCMA) are implemented here from the ITU-T
// G.711 definition; no third-party codec module is used for them. Encoding
// and decoding work on caller-owned buffers and never allocate.
//
// codec imports the standard library only.
package codec
