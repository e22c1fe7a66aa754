package sipstack

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
	"testing"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

func TestPickChallenge(t *testing.T) {
	md5c := `Digest realm="r", nonce="n1", algorithm=MD5, qop="auth"`
	noalg := `Digest realm="r", nonce="n0"`
	sha := `Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth"`
	sha512 := `Digest realm="r", nonce="n3", algorithm=SHA-512-256, qop="auth"`
	lower := `Digest realm="r", nonce="n4", algorithm=sha-256, qop="auth, auth-int"`
	tests := []struct {
		name    string
		offered []string
		alg     string
		err     error
	}{
		{"MD5 only", []string{md5c}, "MD5", nil},
		{"no algorithm means MD5", []string{noalg}, "", nil},
		{"SHA-256 preferred over MD5", []string{md5c, sha}, "SHA-256", nil},
		{"order does not matter", []string{sha, md5c}, "SHA-256", nil},
		{"SHA-512-256 strongest", []string{md5c, sha512, sha}, "SHA-512-256", nil},
		{"lower-case algorithm and spaced qop", []string{lower}, "SHA-256", nil},
		{"unknown algorithm skipped", []string{`Digest realm="r", nonce="n", algorithm=AKAv1-MD5`, md5c}, "MD5", nil},
		{"only unknown", []string{`Digest realm="r", nonce="n", algorithm=MD5-sess`}, "", errNoChallenge},
		{"not digest", []string{`Basic realm="r"`}, "", errNoChallenge},
		{"none", nil, "", errNoChallenge},
	}
	for i, tc := range tests {
		ch, err := pickChallenge(tc.offered)
		if !errors.Is(err, tc.err) {
			t.Errorf("#%d %s: error %v, want %v", i, tc.name, err, tc.err)
			continue
		}
		if err == nil && ch.Algorithm != tc.alg {
			t.Errorf("#%d %s: picked %q, want %q", i, tc.name, ch.Algorithm, tc.alg)
		}
	}
}

// authorize computes the RFC 7616/8760 response; check it by hand for MD5
// and SHA-256 with qop=auth.
func TestAuthorizeResponse(t *testing.T) {
	for _, alg := range []string{"MD5", "SHA-256"} {
		var h func() hash.Hash = md5.New
		if alg == "SHA-256" {
			h = sha256.New
		}
		hx := func(s string) string {
			x := h()
			x.Write([]byte(s))
			return hex.EncodeToString(x.Sum(nil))
		}
		req := sip.NewRequest(sip.REGISTER, sip.Uri{Scheme: "sip", Host: "pbx.example"})
		res := sip.NewResponse(401, "Unauthorized")
		res.AppendHeader(sip.NewHeader("WWW-Authenticate",
			fmt.Sprintf(`Digest realm="pbx", nonce="abc", algorithm=%s, qop="auth", opaque="op"`, alg)))
		if err := authorize(req, res, "alice", "secret"); err != nil {
			t.Fatalf("%s: %v", alg, err)
		}
		cred, err := digest.ParseCredentials(req.GetHeader("Authorization").Value())
		if err != nil {
			t.Fatalf("%s: %v", alg, err)
		}
		ha1 := hx("alice:pbx:secret")
		ha2 := hx("REGISTER:sip:pbx.example")
		want := hx(strings.Join([]string{ha1, "abc", fmt.Sprintf("%08x", cred.Nc), cred.Cnonce, "auth", ha2}, ":"))
		if cred.Response != want || cred.URI != "sip:pbx.example" || cred.Algorithm != alg || cred.Opaque != "op" {
			t.Errorf("%s: credentials %+v, want response %s", alg, cred, want)
		}
	}
}

func TestAuthorizeProxyHeaders(t *testing.T) {
	req := sip.NewRequest(sip.INVITE, sip.Uri{Scheme: "sip", User: "1234", Host: "pbx.example"})
	res := sip.NewResponse(407, "Proxy Authentication Required")
	res.AppendHeader(sip.NewHeader("Proxy-Authenticate", `Digest realm="pbx", nonce="abc"`))
	if err := authorize(req, res, "alice", "secret"); err != nil {
		t.Fatal(err)
	}
	if req.GetHeader("Proxy-Authorization") == nil || req.GetHeader("Authorization") != nil {
		t.Error("407 must be answered with Proxy-Authorization")
	}
	if err := authorize(req, sip.NewResponse(401, "Unauthorized"), "alice", "secret"); !errors.Is(err, errNoChallenge) {
		t.Errorf("401 without challenge: %v", err)
	}
}
