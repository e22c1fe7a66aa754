// Package sipstack is the phone's SIP user agent, built on
// github.com/emiago/sipgo. It exposes the phone's verbs (Dial, Ring, Answer,
// Reject, Hangup) and reports what happens as Event values on one channel;
// no sipgo type leaves the package. It imports hal (for the clock) and
// nothing else of ours.
//
// What it does beyond sipgo:
//
//   - One UDP port for everything: Run binds ListenAddr and sipgo's client
//     sends from that same socket (WithClientConnectionAddr), so NAT
//     bindings and the Contact stay valid. Via carries rport.
//
//   - Registration with digest auth (MD5, SHA-256 and SHA-512-256; the
//     strongest offered challenge wins), refresh at half the granted time
//     (the Contact's expires parameter, else the Expires header), backoff
//     with jitter after a failure (2 s doubling to 5 min, ±20 %) without ever
//     giving up, and Expires: 0 on shutdown.
//
//   - Calls: our own dialog store (calls.go, dialog.go). Each call has one
//     owner goroutine; verbs and sipgo handlers talk to it through its inbox,
//     so a call's state changes in one place, in order. sipgo handles each
//     message in a goroutine of its own and may reorder them; a re-INVITE
//     that overtakes the ACK before it counts as that ACK.
//     Outbound INVITEs read every response themselves (no limit on
//     provisionals, unlike sipgo's WaitAnswer), follow up to 3 redirects,
//     answer 401/407 only from our registrar or proxy, and CANCEL on Hangup
//     (after the first provisional, as RFC 3261 §9.1 asks); a 200 that
//     crosses the CANCEL is ACKed and BYEd. Our 2xx are resent until the ACK
//     (the transaction layer leaves that to us).
//
//   - re-INVITE from the peer: an offer becomes Updated; call control answers
//     with Answer. Without an answer within 2 s we answer with our last SDP,
//     because SBCs drop calls whose re-INVITEs go unanswered. An offerless
//     re-INVITE is answered with our last SDP at once (the SDP in its ACK is
//     not reported).
//
//   - The ghost-call guard: with AllowDirectCalls off, an out-of-dialog
//     INVITE whose source IP is not our registrar's or proxy's gets 403 and
//     no Incoming event. A direct INVITE (guard off) must name our user; one
//     from our server may carry any user (DIDs).
//
//   - Shutdown leaves nothing behind: Run waits for its goroutines and keeps
//     sipgo from opening sockets for messages it is still handling
//     (listen.go). OPTIONS get 200 with Allow/Accept/Supported; methods we
//     know but do not handle get 405, unknown ones 501; SIP INFO DTMF
//     (application/dtmf-relay, application/dtmf) becomes DTMF events.
//     Unparsable datagrams are dropped by sipgo; an INVITE missing a header
//     we need gets 400, without touching other calls.
//
// Limits: an INVITE without SDP gets 488 (no offer-in-ACK); no 100rel,
// session timers, TCP/TLS, REFER or hold from our side; no Contact
// rewriting from received/rport; loose routing only.
//
// Each call ends with exactly one terminal event: Failed (an outbound call
// that never got answered) or Ended. A local hang-up is reported at once as
// Ended{ByPeer: false} with Reason "bye", "cancel" or "reject"; the SIP
// clean-up goes on in the background.
//
// Logging: every sipgo part gets the injected logger through its options.
// sipgo still keeps a package-global default logger (sip.SetDefaultLogger)
// for a few debug lines; this package never sets it, the composition root
// may.
package sipstack
