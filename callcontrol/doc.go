// Package callcontrol is the phone's state machine: it turns hook, keypad and
// SIP events into tones, bell cadences, lamps, dialled numbers and SIP verbs.
//
// A Phone runs in one goroutine (Run): a select over hook events, key events,
// SIP events and its own timers, which come from the injected hal.Clock. All
// call state lives in that goroutine; State is the only window into it from
// elsewhere. Everything the outside world may want to show (state changes,
// tones, the bell, calls, registration) is reported as an Event to
// Deps.Notify.
//
// Scope: one line, one call plus at most one waiting call. A hook flash
// during a call with a waiting call hangs up the current call and answers the
// waiting one; hold and swap between two live calls come later.
//
// callcontrol imports hal, dialplan, sipstack (event types only),
// mediapath (Stats) and mediapath/tone (tone kinds). It reaches SIP and the
// audio engine only through the SIP, Media and Stream interfaces in deps.go,
// so it never touches sockets, sound cards or board drivers.
package callcontrol
