package callcontrol

import (
	"testing"
	"time"

	"handset/hal"
	"handset/sipstack"
)

func TestRegistration(t *testing.T) {
	led := func(p hal.LEDPattern) map[hal.LED]hal.LEDPattern {
		return map[hal.LED]hal.LEDPattern{hal.LEDRegistered: p}
	}
	wantLast := func(want Registration) func(*testing.T, *harness) {
		return func(t *testing.T, h *harness) {
			got := eventsOf[Registration](h)
			if len(got) == 0 || got[len(got)-1] != want {
				t.Fatalf("registration events %+v, want last %+v", got, want)
			}
		}
	}
	runScenarios(t, []scenario{{name: "lamp follows registration", steps: []step{
		{act: sipEv(sipstack.Registered{Registrar: "pbx.test", Expires: time.Hour}), state: Idle, leds: led(hal.LEDOn),
			check: wantLast(Registration{Registered: true, Registrar: "pbx.test", Expires: time.Hour})},
		{act: sipEv(sipstack.RegistrationFailed{Registrar: "pbx.test", Code: 403, Reason: "Forbidden", RetryIn: 30 * time.Second}),
			state: Idle, leds: led(hal.LEDBlinkFast),
			check: wantLast(Registration{Registrar: "pbx.test", Code: 403, Reason: "Forbidden", RetryIn: 30 * time.Second})},
		{act: sipEv(sipstack.Registered{Registrar: "pbx.test", Expires: time.Hour}), state: Idle, leds: led(hal.LEDOn)},
		{act: sipEv(sipstack.Unregistered{Registrar: "pbx.test"}), state: Idle, leds: led(hal.LEDOff),
			check: wantLast(Registration{Registrar: "pbx.test", Reason: "unregistered"})},
	}}})
}
