// Package dialplan parses Cisco/Linksys-style digit maps and tells call
// control, after each dialled digit, whether to wait, send or reject.
//
// A map is a set of rules, "( rule | rule | ... )" (a single rule may go
// without the parentheses), optionally preceded by "L:n," and "S:n," which
// override the long (10 s) and short (3 s) inter-digit timers, in seconds
// (fractions allowed). Whitespace is ignored. A rule is made of:
//
//	0-9 * # A-D   that key, literally
//	x             any digit 0-9
//	[2-9] [49]    one key from a set; ranges run between digits 0-9
//	.             the previous key, x or set repeated zero or more times
//	<a:b>         dialled a is sent as b; either may be empty; a holds
//	              literal keys only (no x, sets or "."), b keys and "+"
//	,             outside-line dial tone; ignored for matching
//	S<n>          at the start or end: this rule's short timer (S0: send
//	              as soon as the rule matches)
//	!             at the end: the rule is barred
//	P<n>          at the start of a rule made only of insertions such as
//	              "P5 <:1000>": a warm line dialled n seconds off hook
//
// A rule must be able to send something: "<9:>" alone is an error, and a
// match that would send an empty number does not count as one.
//
// Rules that take no digits at all ("( S0 <:1234> )", "P5 <:1000>") are
// hotline and warm-line rules: Map.OffHook reports them, Map.Evaluate never
// does. Map.Evaluate reports on the digits dialled so far (see Status).
//
// dialplan imports the standard library only, and nothing of ours.
package dialplan
