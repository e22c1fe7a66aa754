package provision

import (
	"errors"
	"testing"
)

func TestParseChunkSize(t *testing.T) {
	tests := []struct {
		line string
		want int64
		err  error
	}{
		{line: "0", want: 0},
		{line: "000", want: 0},
		{line: "1a", want: 26},
		{line: "FF", want: 255},
		{line: "7fffffffffffffff", want: 1<<63 - 1},
		{line: "10;name", want: 16},
		{line: "10 ;name=value", want: 16},
		{line: "10\t; a = \"b c\" ; d", want: 16},
		{line: "", err: errBadResponse},
		{line: ";ext", err: errBadResponse},
		{line: " 10", err: errBadResponse},
		{line: "g", err: errBadResponse},
		{line: "-1", err: errBadResponse},
		{line: "+1", err: errBadResponse},
		{line: "0x10", err: errBadResponse},
		{line: "1_0", err: errBadResponse},
		{line: "8000000000000000", err: errBadResponse},
		{line: "10;a\x00b", err: errBadResponse},
	}
	for i, tt := range tests {
		got, err := parseChunkSize([]byte(tt.line))
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("#%d: parseChunkSize(%q) = %d, %v; want %d, %v", i, tt.line, got, err, tt.want, tt.err)
		}
	}
}
