package alsa

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
)

// Control is one element of a card's control interface, as the kernel
// describes it.
type Control struct {
	NumID uint32
	// Iface is SNDRV_CTL_ELEM_IFACE_*: 2 is the mixer, 3 a PCM's.
	Iface     int32
	Name      string
	Index     uint32
	Device    uint32
	Subdevice uint32
	// Type is SNDRV_CTL_ELEM_TYPE_*: 1 boolean, 2 integer, 3 enumerated,
	// 4 bytes, 5 IEC958, 6 64-bit integer.
	Type     int32
	Readable bool
	Writable bool
	Inactive bool
	// Count is the number of values (channels) of the element.
	Count int
	// Min, Max and Step bound an integer element; a Step of 0 means any.
	Min, Max, Step int64
	// Values are the current values of a readable boolean or integer
	// element.
	Values []int64

	id elemID
}

// String describes c in one line, e.g.
// `"Master Playback Volume" integer 0..87 [70 70]`.
func (c Control) String() string {
	s := fmt.Sprintf("%q", c.Name)
	if c.Index != 0 {
		s += fmt.Sprintf(",%d", c.Index)
	}
	switch c.Type {
	case typeBoolean:
		s += " switch"
	case typeInteger:
		s += fmt.Sprintf(" integer %d..%d", c.Min, c.Max)
		if c.Step > 1 {
			s += fmt.Sprintf(" step %d", c.Step)
		}
	default:
		s += fmt.Sprintf(" type %d", c.Type)
	}
	if c.Values != nil {
		s += fmt.Sprint(" ", c.Values)
	}
	if !c.Writable {
		s += " read-only"
	}
	if c.Inactive {
		s += " inactive"
	}
	return s
}

// Mixer sets a card's volumes and switches through its control device,
// since yobert/alsa has no mixer. Cards often come up muted; SetVolume
// unmutes them. A Mixer is not safe for concurrent use.
type Mixer struct {
	f      ctlFile
	abi    ctlABI
	card   int
	log    *slog.Logger
	closed bool
}

// OpenMixer opens the control device of card (its number, as in hw:N).
// A nil log discards.
func OpenMixer(card int, log *slog.Logger) (*Mixer, error) {
	f, err := openCtlFile(card)
	if err != nil {
		return nil, deviceError("open mixer", fmt.Sprintf("hw:%d", card), err)
	}
	return newMixer(f, nativeABI(), card, log), nil
}

func newMixer(f ctlFile, abi ctlABI, card int, log *slog.Logger) *Mixer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Mixer{f: f, abi: abi, card: card, log: log}
}

// Close closes the control device.
func (m *Mixer) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	return m.f.Close()
}

// do issues one control ioctl.
func (m *Mixer) do(op string, req uintptr, arg []byte) error {
	if m.closed {
		return fmt.Errorf("alsa: mixer of hw:%d: %s: %w", m.card, op, ErrClosed)
	}
	if err := m.f.ioctl(req, arg); err != nil {
		return deviceError(op, fmt.Sprintf("hw:%d mixer", m.card), err)
	}
	return nil
}

// identity reads the card's id, driver and names (CARD_INFO).
func (m *Mixer) identity() (cardIdentity, error) {
	b := make([]byte, cardInfoSize)
	if err := m.do("card info", m.abi.reqCardInfo(), b); err != nil {
		return cardIdentity{}, err
	}
	return decodeCardInfo(b), nil
}

// ids lists the ids of every element (ELEM_LIST, twice: once for the
// count, once with room for that many ids).
func (m *Mixer) ids() ([]elemID, error) {
	list := make([]byte, m.abi.listSize())
	m.abi.encodeList(list, 0, 0)
	if err := m.do("list controls", m.abi.reqList(), list); err != nil {
		return nil, err
	}
	_, count := decodeList(list)
	if count == 0 {
		return nil, nil
	}
	raw := make([]byte, int(count)*idSize)
	m.abi.encodeList(list, count, m.f.addr(raw))
	err := m.do("list controls", m.abi.reqList(), list)
	runtime.KeepAlive(raw)
	if err != nil {
		return nil, err
	}
	used, _ := decodeList(list)
	ids := make([]elemID, min(used, count))
	for i := range ids {
		copy(ids[i][:], raw[i*idSize:])
	}
	return ids, nil
}

// Controls lists the card's elements with their current values.
func (m *Mixer) Controls() ([]Control, error) {
	ids, err := m.ids()
	if err != nil {
		return nil, err
	}
	out := make([]Control, 0, len(ids))
	info := make([]byte, infoSize)
	value := make([]byte, m.abi.valueSize())
	for i := range ids {
		clear(info)
		copy(info, ids[i][:])
		if err := m.do("describe control "+ids[i].name(), m.abi.reqInfo(), info); err != nil {
			// One control the driver will not describe (or read, below)
			// must not hide the others: PCM controls such as "Playback
			// Channel Map" refuse while no stream is running.
			m.log.Debug("alsa: skipping a control", "err", err)
			continue
		}
		var id elemID
		copy(id[:], info)
		in := m.abi.decodeInfo(info)
		c := Control{
			NumID: id.numid(), Iface: id.iface(), Name: id.name(), Index: id.index(),
			Device: id.device(), Subdevice: id.subdevice(),
			Type: in.typ, Count: int(in.count), Min: in.min, Max: in.max, Step: in.step,
			Readable: in.access&accessRead != 0,
			Writable: in.access&accessWrite != 0,
			Inactive: in.access&accessInactive != 0,
			id:       id,
		}
		if c.Readable && (c.Type == typeBoolean || c.Type == typeInteger) && c.Count <= maxValues {
			m.abi.encodeValue(value, &c.id, nil)
			if err := m.do("read control "+c.Name, m.abi.reqRead(), value); err != nil {
				m.log.Debug("alsa: control unreadable", "control", c.Name, "err", err)
				c.Readable = false
			} else {
				c.Values = m.abi.decodeValues(value, c.Count)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// write sets every value of c to v.
func (m *Mixer) write(c *Control, v int64) error {
	if c.Count <= 0 || c.Count > maxValues {
		return fmt.Errorf("alsa: control %q has %d values: %w", c.Name, c.Count, errBadControl)
	}
	vals := make([]int64, c.Count)
	for i := range vals {
		vals[i] = v
	}
	b := make([]byte, m.abi.valueSize())
	m.abi.encodeValue(b, &c.id, vals)
	return m.do("write control "+c.Name, m.abi.reqWrite(), b)
}

// SetVolume sets every "… Volume" control of dir to pct percent of its
// range and turns every "… Switch" of dir on (off when pct is 0). Controls
// that feed an input into the earpiece ("Mic Playback Volume", "Beep …",
// "Sidetone …") or a non-microphone source into the recording ("Line
// Capture Switch", "CD …") are left alone, as are read-only and inactive
// ones (Control.SetBy says which are set). It returns how many controls it
// set: a card without such controls (snd-aloop) sets none.
func (m *Mixer) SetVolume(dir Direction, pct int) (int, error) {
	if pct < 0 || pct > 100 {
		return 0, fmt.Errorf("%w (got %d)", ErrBadVolume, pct)
	}
	cs, err := m.Controls()
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for i := range cs {
		c := &cs[i]
		if !c.SetBy(dir) {
			continue
		}
		var v int64
		if c.Type == typeBoolean {
			if pct > 0 {
				v = 1
			}
		} else if v, err = pctToRaw(pct, c.Min, c.Max, c.Step); err != nil {
			errs = append(errs, fmt.Errorf("%q %d..%d: %w", c.Name, c.Min, c.Max, err))
			continue
		}
		if err := m.write(c, v); err != nil {
			errs = append(errs, err)
			continue
		}
		m.log.Debug("mixer control set", "card", m.card, "control", c.Name, "value", v, "percent", pct)
		n++
	}
	if len(errs) > 0 {
		return n, fmt.Errorf("alsa: set %s volume of hw:%d: %w", dir, m.card, errors.Join(errs...))
	}
	return n, nil
}

// SetBy reports whether SetVolume(d, …) sets c: a writable, active mixer
// control named "… <Playback|Capture> Switch" (boolean) or "… Volume"
// (integer) of d, whose source is the phone's own path.
func (c Control) SetBy(d Direction) bool {
	dir, isSwitch, ok := controlRole(c.Name)
	if !ok || dir != d || c.Iface != ifaceMixer || !c.Writable || c.Inactive {
		return false
	}
	if isSwitch {
		return c.Type == typeBoolean
	}
	return c.Type == typeInteger
}

// controlRole reads an ALSA control name, "<source> <Playback|Capture>
// <Switch|Volume>", and says which direction it belongs to and whether it
// is a switch. ok is false for names of another shape and for sources that
// are not the phone's own path (see SetVolume).
func controlRole(name string) (dir Direction, isSwitch, ok bool) {
	var rest string
	switch {
	case strings.HasSuffix(name, " Switch"):
		rest, isSwitch = strings.TrimSuffix(name, " Switch"), true
	case strings.HasSuffix(name, " Volume"):
		rest = strings.TrimSuffix(name, " Volume")
	default:
		return 0, false, false
	}
	words := strings.Fields(rest)
	if len(words) == 0 {
		return 0, false, false
	}
	switch words[len(words)-1] {
	case "Playback":
		dir = Playback
	case "Capture":
		dir = Capture
	default:
		return 0, false, false
	}
	source := words[:len(words)-1]
	for i, w := range source {
		lineOut := w == "Line" && i+1 < len(source) && source[i+1] == "Out"
		if foreignSource(dir, w) && !lineOut {
			return 0, false, false
		}
	}
	return dir, isSwitch, true
}

// foreignSource reports whether a word of a control's source names
// something other than the phone's own audio path in dir.
func foreignSource(dir Direction, w string) bool {
	switch w {
	case "Line", "CD", "Aux", "Video", "Phone", "Beep", "PC", "Loopback", "Sidetone":
		return true
	case "Mic", "Input":
		return dir == Playback // a microphone mixed into the earpiece
	case "Mix", "IEC958":
		return dir == Capture // "Stereo Mix", digital input
	}
	return false
}

// pctToRaw maps pct (0–100) linearly onto lo..hi, rounding to the
// nearest value and then to the nearest multiple of step above min.
func pctToRaw(pct int, lo, hi, step int64) (int64, error) {
	if hi < lo {
		return 0, errBadControl
	}
	pct = clampPct(pct)
	span := uint64(hi) - uint64(lo) // exact even when hi-lo overflows int64
	p := uint64(pct)
	off := span/100*p + (span%100*p+50)/100
	if step > 1 {
		s := uint64(step)
		off = (off + s/2) / s * s
		if off > span {
			off -= s
		}
	}
	return lo + int64(off), nil
}

// clampPct keeps a percentage within 0–100.
func clampPct(pct int) int {
	return max(0, min(100, pct))
}
