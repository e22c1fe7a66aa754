package callcontrol

import (
	"handset/hal"
	"handset/sipstack"
)

// onRegistration shows the registration on the lamp and reports it: on when
// registered, blinking fast while failing, off once unregistered.
func (p *Phone) onRegistration(ev sipstack.Event) {
	var r Registration
	switch e := ev.(type) {
	case sipstack.Registered:
		r = Registration{Registered: true, Registrar: e.Registrar, Expires: e.Expires}
		p.lamp(hal.LEDRegistered, hal.LEDOn)
	case sipstack.RegistrationFailed:
		r = Registration{Registrar: e.Registrar, Code: e.Code, Reason: e.Reason, RetryIn: e.RetryIn}
		p.lamp(hal.LEDRegistered, hal.LEDBlinkFast)
	case sipstack.Unregistered:
		r = Registration{Registrar: e.Registrar, Reason: "unregistered"}
		p.lamp(hal.LEDRegistered, hal.LEDOff)
	default:
		return
	}
	p.log.Debug("registration", "registered", r.Registered, "registrar", r.Registrar, "code", r.Code, "reason", r.Reason)
	p.d.Notify(r)
}
