package config

// Source is one configuration file to parse: its contents and the name its
// problems are reported under (a path or a URL).
type Source struct {
	Name string
	Data []byte
}

// ParseLayers reads several configuration files as one configuration, key
// by key: each key takes its value from the last source that sets it, and
// keys no source sets keep their defaults. The sources go from the lowest
// precedence to the highest; the phone layers them as
//
//	defaults → server's common handset.toml → server's <mac>.toml → the SD card's file
//
// so that the file on the card always wins for the keys it sets.
//
// A list (media.codecs, board.keypad_rows, ...) is one key: a later source's
// list replaces the earlier one whole. Each [speed_dial] entry is a key of
// its own, so the sources' speed dials add up.
//
// Every source must be valid on its own: it states "version = 1", has no
// unknown key, and each value it sets is of the right type and in range. The
// rules between keys (a domain needs a user, the SIP port lies outside the
// RTP range, ...) are checked on the result. Every problem of every source is returned at
// once, as Problems, each with its source's Name and line; a problem with a
// key no source sets is reported against the last source. With no sources,
// ParseLayers returns the defaults.
func ParseLayers(sources ...Source) (Config, error) {
	out := &collector{}
	c := Default()
	lines := make(map[string]pos)
	for _, s := range sources {
		out.start(s.Name)
		decode(&c, parseDocument(s.Data, out), out, lines)
		validateValues(&c, lines, out, s.Name)
	}
	validateRules(&c, lines, out)
	if len(out.list) > 0 {
		return Config{}, out.sorted()
	}
	c.fillDerived()
	return c, nil
}
