package config

import (
	"fmt"
	"log/slog"
	"strings"
)

// Secret is a password. Printing, logging or marshalling it shows only
// "(set)" or "(empty)"; convert it with string() where the secret is used.
type Secret string

// String returns "(set)" or "(empty)".
func (s Secret) String() string {
	if s == "" {
		return "(empty)"
	}
	return "(set)"
}

// Format implements fmt.Formatter so that every verb (%v, %s, %q, %x, %d...)
// prints the redacted form.
func (s Secret) Format(f fmt.State, _ rune) {
	fmt.Fprint(f, s.String())
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value {
	return slog.StringValue(s.String())
}

// MarshalText implements encoding.TextMarshaler, so JSON shows the redacted
// form too.
func (s Secret) MarshalText() ([]byte, error) {
	return []byte(s.String()), nil
}

// isSecretKey reports whether a dotted key holds a secret whose value must
// not appear in messages.
func isSecretKey(key string) bool {
	return key == "password" || strings.HasSuffix(key, ".password")
}
