// Package haltest holds fakes of the hal interfaces for tests: a clock that
// moves only when told to.
package haltest
