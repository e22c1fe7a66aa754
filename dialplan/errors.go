package dialplan

import (
	"errors"
	"fmt"
)

// ErrSyntax is wrapped by every error Parse returns, so callers can test for
// a bad digit map with errors.Is.
var ErrSyntax = errors.New("dialplan: syntax error")

// SyntaxError says where a digit map is wrong and what was expected there.
type SyntaxError struct {
	Col int    // 1-based column, in characters, of the offending spot
	Msg string // what is wrong or what was expected
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("dialplan: col %d: %s", e.Col, e.Msg)
}

// Unwrap makes errors.Is(err, ErrSyntax) hold.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }
