package main

import (
	"testing"

	"handset/config"
)

func TestHookLevel(t *testing.T) {
	for _, c := range []struct {
		active  config.Active
		contact config.Contact
		up      bool
		want    bool // the line's level: true is high
	}{
		// The default: a normally open contact to ground, held closed by
		// the resting handset.
		{config.ActiveLow, config.ContactNO, false, false},
		{config.ActiveLow, config.ContactNO, true, true},
		{config.ActiveLow, config.ContactNC, false, true},
		{config.ActiveLow, config.ContactNC, true, false},
		{config.ActiveHigh, config.ContactNO, false, true},
		{config.ActiveHigh, config.ContactNO, true, false},
		{config.ActiveHigh, config.ContactNC, false, false},
		{config.ActiveHigh, config.ContactNC, true, true},
	} {
		w := config.Board{HookActive: c.active, HookContact: c.contact}
		if got := hookLevel(w, c.up); got != c.want {
			t.Errorf("hook_active %s, hook_contact %s, up %v: level %v, want %v", c.active, c.contact, c.up, got, c.want)
		}
	}
}

func TestNearStateLine(t *testing.T) {
	for _, c := range []struct {
		line, want string
	}{
		{`time=2026-11-21T08:23:44.474Z level=INFO msg=phone event=state detail="{From:idle To:dial-tone Reason:off-hook}"`, "dial-tone"},
		{`time=2026-11-21T08:23:46.794Z level=INFO msg=phone event=state detail="{From:calling To:connected Reason:answered}"`, "connected"},
		{`time=2026-11-21T08:23:44.474Z level=DEBUG msg=state part=call from=idle to=dial-tone reason=off-hook`, ""},
		{`time=2026-11-21T08:23:44.457Z level=INFO msg=phone event=tone detail={Tone:dial}`, ""},
	} {
		got := ""
		if m := nearState.FindStringSubmatch(c.line); m != nil {
			got = m[2]
		}
		if got != c.want {
			t.Errorf("%s: state %q, want %q", c.line, got, c.want)
		}
	}
}
