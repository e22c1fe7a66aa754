// Package archtest holds the test that keeps the import rules of
// docs/ARCHITECTURE.md true. It has no code of its own.
package archtest
