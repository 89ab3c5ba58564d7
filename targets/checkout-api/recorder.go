package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

const (
	recordedRequests = 500
	maxRecordedBody  = 4 << 10
)

// Values a test must be able to match without anyone reading them: the recorder keeps a hash prefix.
var secretHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true}

// The harness's own plumbing would otherwise push a load's requests out of the window.
var unrecordedPaths = map[string]bool{"/metrics": true, "/debug/requests": true}

type recordedRequest struct {
	Time          time.Time           `json:"time"`
	Method        string              `json:"method"`
	Path          string              `json:"path"`
	Query         string              `json:"query"`
	Headers       map[string][]string `json:"headers"`
	Body          string              `json:"body"`
	BodyTruncated bool                `json:"bodyTruncated"`
	Status        int                 `json:"status"`
}

// recorder keeps the last requests the service received, so a test can prove that a load
// scenario's methods, paths, headers and bodies reached the target as written.
type recorder struct {
	mu      sync.Mutex
	entries []recordedRequest
	next    int
	size    int
}

func newRecorder(size int) *recorder {
	return &recorder{entries: make([]recordedRequest, 0, size), size: size}
}

func (rc *recorder) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if unrecordedPaths[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		entry := recordedRequest{
			Time:    time.Now().UTC(),
			Method:  r.Method,
			Path:    r.URL.Path,
			Query:   r.URL.RawQuery,
			Headers: redactedHeaders(r.Header),
		}
		// The handler still reads the whole body: what was peeked is put back in front of the rest.
		// A read error is the handler's to answer; it meets the same error when it reads on.
		head, _ := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody+1))
		entry.BodyTruncated = len(head) > maxRecordedBody
		entry.Body = string(head[:min(len(head), maxRecordedBody)])
		r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}

		status := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(status, r)
		entry.Status = status.status
		rc.add(entry)
	})
}

type readCloser struct {
	io.Reader
	io.Closer
}

func redactedHeaders(header http.Header) map[string][]string {
	out := make(map[string][]string, len(header))
	for name, values := range header {
		copied := make([]string, len(values))
		for i, value := range values {
			if secretHeaders[name] {
				sum := sha256.Sum256([]byte(value))
				value = "sha256:" + hex.EncodeToString(sum[:])[:16]
			}
			copied[i] = value
		}
		out[name] = copied
	}
	return out
}

func (rc *recorder) add(entry recordedRequest) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.entries) < rc.size {
		rc.entries = append(rc.entries, entry)
	} else {
		rc.entries[rc.next] = entry
	}
	rc.next = (rc.next + 1) % rc.size
}

// snapshot returns the kept requests oldest first.
func (rc *recorder) snapshot() []recordedRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	// Never nil: an empty recorder answers [], not null.
	out := make([]recordedRequest, 0, len(rc.entries))
	if len(rc.entries) < rc.size {
		return append(out, rc.entries...)
	}
	return append(append(out, rc.entries[rc.next:]...), rc.entries[:rc.next]...)
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set(contentTypeKey, "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"requests": rc.snapshot()})
}
