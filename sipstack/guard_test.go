package sipstack

import (
	"context"
	"net"
	"testing"
)

func TestGuardTrusts(t *testing.T) {
	var g guard
	err := g.refresh(context.Background(), net.DefaultResolver, []hostPort{
		{host: "192.0.2.1", port: 5060}, {}, {host: "2001:db8::5"}, {host: "localhost"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		src  string
		want bool
	}{
		{"192.0.2.1:5060", true},
		{"192.0.2.1:40000", true}, // any port of our server
		{"192.0.2.1", true},
		{"[::ffff:192.0.2.1]:5060", true},
		{"[2001:db8::5]:5060", true},
		{"127.0.0.1:5060", true}, // localhost resolved
		{"192.0.2.2:5060", false},
		{"garbage", false},
		{"", false},
	}
	for i, tc := range tests {
		if got := g.trusts(tc.src); got != tc.want {
			t.Errorf("#%d trusts(%q) = %v, want %v", i, tc.src, got, tc.want)
		}
	}
	// A host that does not resolve keeps the old set.
	if err := g.refresh(context.Background(), net.DefaultResolver, []hostPort{{host: "no-such-host.invalid"}}); err == nil {
		t.Error("refresh of an unresolvable host succeeded")
	}
	if !g.trusts("192.0.2.1:5060") {
		t.Error("failed refresh dropped the trusted set")
	}
}
