package tally

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter is the longest Retry-After honoured; a server asking for more gets this, then
// another retry.
const maxRetryAfter = 60 * time.Second

// backoffDelay is the wait before retry number attempt (0-based): exponential backoff with full
// jitter, a random time in [0, min(max, initial·2^attempt)).
func backoffDelay(attempt int, initial, max time.Duration, random func() float64) time.Duration {
	ceiling := initial << min(attempt, 30)
	if ceiling > max || ceiling <= 0 {
		ceiling = max
	}
	return time.Duration(random() * float64(ceiling))
}

func jitter() float64 { return rand.Float64() }

// retryAfter reads Retry-After (delta-seconds or an HTTP date); ok is false when absent or unreadable.
func retryAfter(header string, now time.Time) (time.Duration, bool) {
	value := strings.TrimSpace(header)
	if value == "" {
		return 0, false
	}
	var d time.Duration
	if seconds, err := strconv.ParseFloat(value, 64); err == nil {
		d = time.Duration(seconds * float64(time.Second))
	} else if when, err := http.ParseTime(value); err == nil {
		d = when.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), maxRetryAfter), true
}
