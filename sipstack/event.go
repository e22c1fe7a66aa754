package sipstack

import (
	"sync"
	"time"
)

// Event is something the SIP side reports to call control. The concrete
// types below are the only implementations.
type Event interface{ sipEvent() }

// Registered reports a successful REGISTER (or refresh).
type Registered struct {
	Registrar string
	// Expires is the binding time the registrar granted.
	Expires time.Duration
}

// RegistrationFailed reports a failed REGISTER; the stack retries by itself
// after RetryIn.
type RegistrationFailed struct {
	Registrar string
	Code      int // SIP status, 0 for a transport error or timeout
	Reason    string
	RetryIn   time.Duration
}

// Unregistered reports the binding removed on shutdown.
type Unregistered struct{ Registrar string }

// Incoming reports a new inbound call that passed the ghost-call guard. The
// stack has sent 100 Trying; call control answers with Ring, Reject or Answer.
type Incoming struct {
	CallID      string
	From        string // the caller's URI, e.g. sip:1001@pbx.example
	FromUser    string // the caller's user part, e.g. 1001
	DisplayName string
	SDP         []byte // the offer; may be empty (offer in ACK is not supported: 488)
	Source      string // ip:port the INVITE came from
}

// Progress reports a provisional response to our INVITE (180, 183).
type Progress struct {
	CallID string
	Code   int
	Reason string
	SDP    []byte // early-media answer, when the response carried one
}

// Answered reports the 2xx to our INVITE; the stack has sent the ACK.
type Answered struct {
	CallID string
	SDP    []byte
}

// Failed reports that our INVITE ended without a call: a final 3xx–6xx after
// redirects and auth were tried, or no answer at all (Code 0, or 408).
type Failed struct {
	CallID string
	Code   int
	Reason string
}

// Ended reports that an established or ringing call is over.
type Ended struct {
	CallID string
	// ByPeer is true when the far end hung up (BYE) or cancelled (CANCEL).
	ByPeer bool
	// Reason is "bye", "cancel", "reject" (ours, of an unanswered inbound
	// call), "timeout", "shutdown" or "error".
	Reason string
}

// Updated reports the SDP offer of an in-dialog re-INVITE from the peer
// (hold, resume, new media address). Call control answers it with Answer;
// when it does not within 2 s the stack answers with its last SDP.
type Updated struct {
	CallID string
	SDP    []byte
}

// DTMF reports a digit the peer sent with SIP INFO.
type DTMF struct {
	CallID string
	Digit  rune
}

func (Registered) sipEvent()         {}
func (RegistrationFailed) sipEvent() {}
func (Unregistered) sipEvent()       {}
func (Incoming) sipEvent()           {}
func (Progress) sipEvent()           {}
func (Answered) sipEvent()           {}
func (Failed) sipEvent()             {}
func (Ended) sipEvent()              {}
func (Updated) sipEvent()            {}
func (DTMF) sipEvent()               {}

// maxQueuedEvents bounds the events waiting for call control; past it new
// events are dropped (and logged) rather than stalling SIP handling.
const maxQueuedEvents = 1024

// eventQueue decouples the SIP side from call control: push never blocks,
// and one pump goroutine hands events over in order.
type eventQueue struct {
	mu    sync.Mutex
	items []Event
	wake  chan struct{}
	out   chan Event
}

func newEventQueue() *eventQueue {
	return &eventQueue{wake: make(chan struct{}, 1), out: make(chan Event, 16)}
}

// push queues ev; it reports false when the queue is full and ev was
// dropped.
func (q *eventQueue) push(ev Event) bool {
	q.mu.Lock()
	if len(q.items) >= maxQueuedEvents {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, ev)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// pump delivers queued events to out until quit is closed.
func (q *eventQueue) pump(quit <-chan struct{}) {
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.mu.Unlock()
			select {
			case <-q.wake:
				continue
			case <-quit:
				return
			}
		}
		ev := q.items[0]
		q.items[0] = nil
		q.items = q.items[1:]
		q.mu.Unlock()
		select {
		case q.out <- ev:
		case <-quit:
			q.mu.Lock()
			q.items = append([]Event{ev}, q.items...)
			q.mu.Unlock()
			return
		}
	}
}

// flush moves what still fits into out without blocking, then closes out.
// Only call it after pump has returned.
func (q *eventQueue) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, ev := range q.items {
		select {
		case q.out <- ev:
		default:
		}
	}
	q.items = nil
	close(q.out)
}
