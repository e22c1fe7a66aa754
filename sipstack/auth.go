package sipstack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emiago/sipgo/sip"
	"github.com/icholy/digest"
)

var errNoChallenge = errors.New("no usable digest challenge")

// authHeaderNames returns the challenge and credentials header names for a
// 401 (registrar, UAS) or 407 (proxy).
func authHeaderNames(code int) (challenge, credentials string) {
	if code == sip.StatusProxyAuthRequired {
		return "Proxy-Authenticate", "Proxy-Authorization"
	}
	return "WWW-Authenticate", "Authorization"
}

// algorithmRank orders the digest algorithms we can answer; 0 = cannot.
// A server may offer several challenges (RFC 8760); we take the strongest.
func algorithmRank(alg string) int {
	switch strings.ToUpper(alg) {
	case "", "MD5":
		return 1
	case "SHA-256":
		return 2
	case "SHA-512-256":
		return 3
	}
	return 0
}

// pickChallenge returns the strongest challenge we can answer among values
// (the header values of a 401/407).
func pickChallenge(values []string) (*digest.Challenge, error) {
	var best *digest.Challenge
	for _, v := range values {
		if !digest.IsDigest(v) {
			continue
		}
		ch, err := digest.ParseChallenge(v)
		if err != nil {
			continue
		}
		ch.Algorithm = strings.ToUpper(ch.Algorithm)
		for i := range ch.QOP {
			ch.QOP[i] = strings.TrimSpace(ch.QOP[i])
		}
		if algorithmRank(ch.Algorithm) == 0 || !digest.CanDigest(ch) {
			continue
		}
		if best == nil || algorithmRank(ch.Algorithm) > algorithmRank(best.Algorithm) {
			best = ch
		}
	}
	if best == nil {
		return nil, errNoChallenge
	}
	return best, nil
}

// challengeValues returns the values of every challenge header of res.
func challengeValues(res *sip.Response) []string {
	name, _ := authHeaderNames(res.StatusCode)
	var vals []string
	for _, h := range res.GetHeaders(name) {
		vals = append(vals, h.Value())
	}
	return vals
}

// isStale reports whether res carries a challenge marked stale=true: the
// nonce expired, the credentials were fine.
func isStale(res *sip.Response) bool {
	ch, err := pickChallenge(challengeValues(res))
	return err == nil && ch.Stale
}

// authorize answers the 401/407 res by putting digest credentials for
// user/password on req (replacing earlier ones).
func authorize(req *sip.Request, res *sip.Response, user, password string) error {
	ch, err := pickChallenge(challengeValues(res))
	if err != nil {
		return fmt.Errorf("digest for %d: %w", res.StatusCode, err)
	}
	body := req.Body()
	cred, err := digest.Digest(ch, digest.Options{
		Method:   string(req.Method),
		URI:      req.Recipient.String(),
		Username: user,
		Password: password,
		GetBody:  func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil },
	})
	if err != nil {
		return fmt.Errorf("digest for %d: %w", res.StatusCode, err)
	}
	_, name := authHeaderNames(res.StatusCode)
	req.RemoveHeader(name)
	req.AppendHeader(sip.NewHeader(name, cred.String()))
	return nil
}
