package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (f *fixture) recorded(t *testing.T) []recordedRequest {
	t.Helper()
	res := f.do(http.MethodGet, "/debug/requests", "", nil)
	var got struct{ Requests []recordedRequest }
	if err := json.Unmarshal(res.Body.Bytes(), &got); err != nil {
		t.Fatalf("GET /debug/requests: %v in %s", err, res.Body.String())
	}
	return got.Requests
}

func TestRecorderKeepsTheRequestShape(t *testing.T) {
	f := newFixture(t, testToken, 0)
	f.do(http.MethodPost, "/orders?source=load&x=1", `{"item": 5, "quantity": 1}`, map[string]string{
		"Authorization": "Bearer " + testToken, "Content-Type": "application/json", "X-Scenario": "steady",
	})
	got := f.recorded(t)
	if len(got) != 1 {
		t.Fatalf("recorded: got %d requests, want 1: %+v", len(got), got)
	}
	r := got[0]
	if r.Method != "POST" || r.Path != "/orders" || r.Query != "source=load&x=1" || r.Status != http.StatusCreated {
		t.Errorf("recorded: got %s %s ?%s → %d, want POST /orders ?source=load&x=1 → 201", r.Method, r.Path, r.Query, r.Status)
	}
	if r.Body != `{"item": 5, "quantity": 1}` || r.BodyTruncated {
		t.Errorf("recorded body: got %q (truncated %v)", r.Body, r.BodyTruncated)
	}
	if h := r.Headers["X-Scenario"]; len(h) != 1 || h[0] != "steady" {
		t.Errorf("recorded X-Scenario: got %v, want [steady]", h)
	}
	if time.Since(r.Time) > time.Minute {
		t.Errorf("recorded time: got %s", r.Time)
	}
}

func TestRecorderRedactsCredentialsToAHashPrefix(t *testing.T) {
	f := newFixture(t, testToken, 0)
	f.do(http.MethodPost, "/orders", `{"item": 5, "quantity": 1}`, map[string]string{
		"Authorization": "Bearer " + testToken, "Cookie": "session=" + testToken,
	})
	sum := sha256.Sum256([]byte("Bearer " + testToken))
	want := "sha256:" + hex.EncodeToString(sum[:])[:16]
	r := f.recorded(t)[0]
	if got := r.Headers["Authorization"]; len(got) != 1 || got[0] != want {
		t.Errorf("recorded Authorization: got %v, want [%s]", got, want)
	}
	if got := r.Headers["Cookie"]; len(got) != 1 || !strings.HasPrefix(got[0], "sha256:") {
		t.Errorf("recorded Cookie: got %v, want a sha256 prefix", got)
	}
	if raw := f.do(http.MethodGet, "/debug/requests", "", nil).Body.String(); strings.Contains(raw, testToken) {
		t.Errorf("/debug/requests prints the token: %s", raw)
	}
}

func TestRecorderKeepsTheFirst4KiBOfABodyAndTheHandlerStillReadsAll(t *testing.T) {
	f := newFixture(t, "", 0)
	body := `{"item": 5, "quantity": 1}` + strings.Repeat(" ", maxRecordedBody)
	res := f.do(http.MethodPost, "/orders", body, nil)
	if res.Code != http.StatusCreated {
		t.Fatalf("POST /orders with %d bytes: got %d, want 201 (%s)", len(body), res.Code, res.Body.String())
	}
	r := f.recorded(t)[0]
	if len(r.Body) != maxRecordedBody || !r.BodyTruncated || r.Body != body[:maxRecordedBody] {
		t.Errorf("recorded body: got %d bytes (truncated %v), want the first %d", len(r.Body), r.BodyTruncated, maxRecordedBody)
	}
}

func TestRecorderKeepsTheLast500OldestFirst(t *testing.T) {
	f := newFixture(t, "", 0)
	for i := 1; i <= recordedRequests+10; i++ {
		f.do(http.MethodGet, fmt.Sprintf("/items/%d", i), "", nil)
	}
	got := f.recorded(t)
	if len(got) != recordedRequests {
		t.Fatalf("recorded: got %d, want %d", len(got), recordedRequests)
	}
	if got[0].Path != "/items/11" || got[len(got)-1].Path != "/items/510" {
		t.Errorf("recorded window: got %s..%s, want /items/11../items/510", got[0].Path, got[len(got)-1].Path)
	}
	if got[len(got)-1].Status != http.StatusOK || got[0].Status != http.StatusOK {
		t.Errorf("recorded status: got %d and %d, want 200", got[0].Status, got[len(got)-1].Status)
	}
}

func TestRecorderLeavesOutMetricsAndItsOwnEndpointButKeepsUnknownPaths(t *testing.T) {
	f := newFixture(t, "", 0)
	f.do(http.MethodGet, "/metrics", "", nil)
	f.do(http.MethodGet, "/debug/requests", "", nil)
	f.do(http.MethodGet, "/nowhere", "", nil)
	got := f.recorded(t)
	if len(got) != 1 || got[0].Path != "/nowhere" || got[0].Status != http.StatusNotFound {
		t.Errorf("recorded: got %+v, want only GET /nowhere → 404", got)
	}
}

func TestAnEmptyRecorderAnswersAnEmptyList(t *testing.T) {
	raw := newFixture(t, "", 0).do(http.MethodGet, "/debug/requests", "", nil).Body.String()
	if strings.TrimSpace(raw) != `{"requests":[]}` {
		t.Errorf("GET /debug/requests on a new service: got %s, want {\"requests\":[]}", raw)
	}
}

func TestConfigRejectsAMalformedDelay(t *testing.T) {
	t.Setenv("CHECKOUT_DELAY", "50")
	if _, err := configFromEnv(); err == nil || !strings.Contains(err.Error(), "CHECKOUT_DELAY") {
		t.Errorf("CHECKOUT_DELAY=50: got %v, want an error naming the variable", err)
	}
	t.Setenv("CHECKOUT_DELAY", "50ms")
	t.Setenv("PORT", "9999")
	cfg, err := configFromEnv()
	if err != nil || cfg.delay != 50*time.Millisecond || cfg.addr != "127.0.0.1:9999" {
		t.Errorf("CHECKOUT_DELAY=50ms PORT=9999: got %+v, %v", cfg, err)
	}
}
