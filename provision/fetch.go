package provision

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// fetch GETs one file over HTTPS. It returns found = false when the server
// says the file does not exist (404 or 410); any other answer but 200 is an
// error.
func (c *Client) fetch(ctx context.Context, url string) (data []byte, found bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, false, fmt.Errorf("fetch %s: %w", url, err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, false, fmt.Errorf("fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.Request.URL.Scheme != "https" {
		return nil, false, fmt.Errorf("fetch %s: %w", url, errNotHTTPS)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusGone:
		return nil, false, nil
	default:
		return nil, false, fmt.Errorf("fetch %s: the server answered %s", url, resp.Status)
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, maxFileSize+1))
	if err != nil {
		return nil, false, fmt.Errorf("fetch %s: %w", url, err)
	}
	if len(data) > maxFileSize {
		return nil, false, fmt.Errorf("fetch %s: %w (over %d bytes)", url, errTooLarge, maxFileSize)
	}
	return data, true, nil
}
