package dialplan

// thread is one way through a rule: the next step to take and the number
// built so far. at == len(elems) means the rule's end.
type thread struct {
	at  int
	out string
}

// match runs r over the dialled keys (indexes into keys). It reports whether
// the keys take r to its end sending a non-empty number (and that number),
// and whether some longer key string could still do so. For a barred rule the
// number does not matter: reaching the end is a match.
//
// It simulates the rule's automaton one key at a time, keeping the live
// threads in priority order (a repeated step prefers to take one more key),
// so the number comes from the highest-priority path. Threads at the same
// step are merged, keeping apart those that have sent something and those
// that have not, so time is O(len(keys)·len(elems)) whatever the rule.
func (r *rule) match(dialled []int) (matched bool, number string, extend bool) {
	n := len(r.elems)
	// seen[2*at+s] == gen: a thread at step at, with s = 1 if it has sent
	// something, is already live this step.
	seen := make([]int, 2*(n+1))
	gen := 1
	var add func(list []thread, at int, out string) []thread
	add = func(list []thread, at int, out string) []thread {
		slot := 2 * at
		if out != "" {
			slot++
		}
		if seen[slot] == gen {
			return list
		}
		seen[slot] = gen
		if at == n {
			return append(list, thread{at, out})
		}
		e := r.elems[at]
		switch {
		case e.set == 0:
			return add(list, at+1, out+e.emit)
		case e.star:
			list = append(list, thread{at, out})
			return add(list, at+1, out)
		default:
			return append(list, thread{at, out})
		}
	}
	cur := add(nil, 0, "")
	var next []thread
	for _, k := range dialled {
		gen++
		next = next[:0]
		for _, t := range cur {
			if t.at == n {
				continue
			}
			e := r.elems[t.at]
			if e.set&(1<<k) == 0 {
				continue
			}
			out := t.out + e.emit
			if e.keep {
				out += keys[k : k+1]
			}
			at := t.at + 1
			if e.star {
				at = t.at
			}
			next = add(next, at, out)
		}
		cur, next = next, cur
		if len(cur) == 0 {
			return false, "", false
		}
	}
	for _, t := range cur {
		useful := t.out != "" || r.barred
		switch {
		case t.at == n:
			if useful && !matched {
				matched, number = true, t.out
			}
		case useful || r.sends[t.at]:
			// The thread stands at a step that takes a key; it can take
			// one and finish, passing every later step that sends.
			extend = true
		}
	}
	return matched, number, extend
}
