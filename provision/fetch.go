package provision

import (
	"context"
	"fmt"
	"strings"
)

// fetch GETs one file over HTTPS. It returns found = false when the server
// says the file does not exist (404 or 410); any other answer but 200 is an
// error.
func (c *Client) fetch(ctx context.Context, url string) (data []byte, found bool, err error) {
	resp, err := c.http.Get(ctx, url, c.userAgent, maxFileSize)
	if err != nil {
		return nil, false, fmt.Errorf("fetch %s: %w", url, err)
	}
	if resp.URL.Scheme != "https" {
		return nil, false, fmt.Errorf("fetch %s: %w", url, errNotHTTPS)
	}
	switch resp.Status {
	case 200:
		return resp.Body, true, nil
	case 404, 410:
		return nil, false, nil
	default:
		return nil, false, fmt.Errorf("fetch %s: the server answered %s", url, strings.TrimSpace(fmt.Sprintf("%d %s", resp.Status, resp.Reason)))
	}
}
