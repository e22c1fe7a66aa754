package board

import (
	"flag"
	"os"
	"strings"
	"testing"

	"handset/config"
)

var update = flag.Bool("update", false, "rewrite docs/WIRING.md from WiringDoc")

const wiringDoc = "../docs/WIRING.md"

func TestWiringDoc(t *testing.T) {
	want := WiringDoc()
	if *update {
		if err := os.WriteFile(wiringDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(wiringDoc)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is not what board.WiringDoc generates; run go test ./board -run TestWiringDoc -update", wiringDoc)
	}
}

func TestMarkdownTable(t *testing.T) {
	p, ok := ProfileFor(config.ModelPi4)
	if !ok {
		t.Fatal("no pi-4 profile")
	}
	md := p.Markdown()
	for _, want := range []string{
		"## Raspberry Pi 4 Model B (`model = \"pi-4\"`)",
		"GPIO chip `pinctrl-bcm2711`",
		`hook = "pinctrl-bcm2711:22"`,
		"| Header pin | GPIO | Job |",
		"| 11 | GPIO17 | hook switch |",
		"| 13 | GPIO27 | ringer |",
		"| 15 | GPIO22 | keypad column 4 (4×4 keypads only) |",
		"| 26 | GPIO7 | error LED (an SPI0 line: keep SPI off) |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
	// Rows are in header pin order: 7 (GPIO4) first, 37 (GPIO26) last.
	var rows []string
	for _, l := range strings.Split(md, "\n") {
		if len(l) > 2 && l[0] == '|' && l[2] >= '0' && l[2] <= '9' {
			rows = append(rows, l)
		}
	}
	if len(rows) != 16 {
		t.Fatalf("%d rows, want 16:\n%s", len(rows), md)
	}
	if !strings.HasPrefix(rows[0], "| 7 |") || !strings.HasPrefix(rows[15], "| 37 |") {
		t.Errorf("rows out of order:\n%s", md)
	}
}

func TestProfileForUnknown(t *testing.T) {
	for _, m := range []config.Model{config.ModelSim, config.ModelNone, "pi-7"} {
		if _, ok := ProfileFor(m); ok {
			t.Errorf("%s has a profile", m)
		}
	}
}
