// Package gpiotest holds fake GPIO lines for tests of the board drivers:
// a Bank of named lines that acts as a gpio.Source, lines the test drives
// from "outside" (a switch to ground, a switch to 3.3 V), and a Matrix that
// wires row and column lines through a grid of keys without diodes, so that
// three keys held in a rectangle make a ghost just as on a real keypad.
//
// The fakes fake the bus underneath; the drivers under test are the real
// ones. gpiotest imports handset/config, handset/board/gpio and the
// standard library.
package gpiotest
