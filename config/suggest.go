package config

// suggest returns the name in names closest to got, if it is close enough
// to be a likely typo ("exipry" for "expiry"), or "".
func suggest(got string, names []string) string {
	best, bestDist := "", 3 // at most two edits
	for _, n := range names {
		if abs(len(got)-len(n)) >= bestDist {
			continue // the distance is at least the difference in length
		}
		if d := editDistance(got, n); d < bestDist && d < len(n) {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment): insertions, deletions, substitutions and swaps of two
// neighbouring bytes each count one.
func editDistance(a, b string) int {
	// rows[i%3] holds row i of the distance table.
	var rows [3][]int
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur, prev, prev2 := rows[i%3], rows[(i-1)%3], rows[(i+1)%3]
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
	}
	return rows[len(a)%3][len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
