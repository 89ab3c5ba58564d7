package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

const (
	testToken       = "s3cret-token"
	loadTraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	loadTraceparent = "00-" + loadTraceID + "-00f067aa0ba902b7-01"
)

type capturedLog struct {
	body    string
	traceID trace.TraceID
	spanID  trace.SpanID
	attrs   map[string]string
}

// memoryLogs is an sdklog.Exporter that keeps what the otelslog bridge emitted.
type memoryLogs struct {
	mu      sync.Mutex
	records []capturedLog
}

func (m *memoryLogs) Export(_ context.Context, records []sdklog.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range records {
		got := capturedLog{body: r.Body().AsString(), traceID: r.TraceID(), spanID: r.SpanID(), attrs: map[string]string{}}
		r.WalkAttributes(func(kv attribute.KeyValue) bool {
			got.attrs[string(kv.Key)] = kv.Value.Emit()
			return true
		})
		m.records = append(m.records, got)
	}
	return nil
}

func (*memoryLogs) Shutdown(context.Context) error   { return nil }
func (*memoryLogs) ForceFlush(context.Context) error { return nil }

type fixture struct {
	handler http.Handler
	spans   *tracetest.SpanRecorder
	logs    *memoryLogs
}

func newFixture(t *testing.T, token string, delay time.Duration) *fixture {
	t.Helper()
	f := &fixture{spans: tracetest.NewSpanRecorder(), logs: &memoryLogs{}}
	tracers := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(f.spans))
	loggers := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(f.logs)))
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector())
	srv := &server{
		tracer:     tracers.Tracer(serviceName),
		propagator: propagation.TraceContext{},
		logger:     slog.New(otelslog.NewHandler(serviceName, otelslog.WithLoggerProvider(loggers))),
		metrics:    newHTTPMetrics(registry),
		recorder:   newRecorder(recordedRequests),
		token:      token,
		delay:      delay,
	}
	f.handler = srv.routes(registry)
	return f
}

func (f *fixture) do(method, target, body string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for name, value := range header {
		req.Header.Set(name, value)
	}
	res := httptest.NewRecorder()
	f.handler.ServeHTTP(res, req)
	return res
}

func (f *fixture) span(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, s := range f.spans.Ended() {
		if s.Name() == name {
			return s
		}
	}
	t.Fatalf("no span %q among %d ended spans", name, len(f.spans.Ended()))
	return nil
}

func TestHealthAnswersOK(t *testing.T) {
	res := newFixture(t, "", 0).do(http.MethodGet, "/health", "", nil)
	if res.Code != http.StatusOK || res.Body.String() != "ok" {
		t.Fatalf("GET /health: got %d %q, want 200 \"ok\"", res.Code, res.Body.String())
	}
}

func TestItemsExistFrom1To1000(t *testing.T) {
	f := newFixture(t, "", 0)
	for path, want := range map[string]int{"/items/1": 200, "/items/1000": 200, "/items/0": 404, "/items/1001": 404, "/items/abc": 404} {
		if res := f.do(http.MethodGet, path, "", nil); res.Code != want {
			t.Errorf("GET %s: got %d, want %d (%s)", path, res.Code, want, res.Body.String())
		}
	}
	var got item
	if err := json.Unmarshal(f.do(http.MethodGet, "/items/42", "", nil).Body.Bytes(), &got); err != nil || got.ID != 42 {
		t.Fatalf("GET /items/42: got %+v (%v), want id 42", got, err)
	}
}

func TestItemSpanJoinsTheCallersTraceWithAnInventoryLookupChild(t *testing.T) {
	f := newFixture(t, "", 0)
	f.do(http.MethodGet, "/items/7", "", map[string]string{"traceparent": loadTraceparent})
	server := f.span(t, "GET /items/{id}")
	lookup := f.span(t, "inventory-lookup")
	if server.SpanContext().TraceID().String() != loadTraceID {
		t.Errorf("server span trace id: got %s, want the traceparent's %s", server.SpanContext().TraceID(), loadTraceID)
	}
	if server.SpanKind() != trace.SpanKindServer {
		t.Errorf("server span kind: got %v, want server", server.SpanKind())
	}
	if lookup.Parent().SpanID() != server.SpanContext().SpanID() {
		t.Errorf("inventory-lookup parent: got %s, want the server span %s", lookup.Parent().SpanID(), server.SpanContext().SpanID())
	}
	if len(f.logs.records) != 1 || f.logs.records[0].body != "item looked up" || f.logs.records[0].spanID != lookup.SpanContext().SpanID() {
		t.Errorf("log records: got %+v, want one \"item looked up\" inside inventory-lookup %s", f.logs.records, lookup.SpanContext().SpanID())
	}
}

func TestOrdersNeedTheBearerTokenWhenOneIsSet(t *testing.T) {
	f := newFixture(t, testToken, 0)
	body := `{"item": 3, "quantity": 2}`
	cases := map[string]struct {
		header string
		want   int
	}{
		"no header":        {"", http.StatusUnauthorized},
		"wrong token":      {"Bearer nope", http.StatusUnauthorized},
		"token not bearer": {"Basic " + testToken, http.StatusUnauthorized},
		"right token":      {"Bearer " + testToken, http.StatusCreated},
	}
	for name, c := range cases {
		res := f.do(http.MethodPost, "/orders", body, map[string]string{"Authorization": c.header})
		if res.Code != c.want {
			t.Errorf("%s: got %d, want %d (%s)", name, res.Code, c.want, res.Body.String())
		}
		if c.want == http.StatusUnauthorized && res.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: a 401 must carry WWW-Authenticate", name)
		}
	}
}

func TestOrdersAreOpenWithoutAConfiguredToken(t *testing.T) {
	if res := newFixture(t, "", 0).do(http.MethodPost, "/orders", `{"item": 1, "quantity": 1}`, nil); res.Code != http.StatusCreated {
		t.Fatalf("POST /orders without CHECKOUT_TOKEN: got %d, want 201 (%s)", res.Code, res.Body.String())
	}
}

func TestOrdersValidateTheirBody(t *testing.T) {
	f := newFixture(t, "", 0)
	for body, want := range map[string]int{
		`not json`:                           http.StatusBadRequest,
		`{"item": 1, "quantity": 1, "x": 1}`: http.StatusBadRequest,
		`{"item": "1", "quantity": 1}`:       http.StatusBadRequest,
		`{"item": 0, "quantity": 1}`:         http.StatusUnprocessableEntity,
		`{"item": 1001, "quantity": 1}`:      http.StatusUnprocessableEntity,
		`{"item": 1, "quantity": 0}`:         http.StatusUnprocessableEntity,
		`{"item": 1, "quantity": 101}`:       http.StatusUnprocessableEntity,
		`{"item": 1000, "quantity": 100}`:    http.StatusCreated,
	} {
		if res := f.do(http.MethodPost, "/orders", body, nil); res.Code != want {
			t.Errorf("POST /orders %s: got %d, want %d (%s)", body, res.Code, want, res.Body.String())
		}
	}
}

func TestAPlacedOrderIsLoggedInsideItsPlaceOrderSpan(t *testing.T) {
	f := newFixture(t, "", 0)
	res := f.do(http.MethodPost, "/orders", `{"item": 9, "quantity": 4}`, map[string]string{"traceparent": loadTraceparent})
	var placed order
	if err := json.Unmarshal(res.Body.Bytes(), &placed); err != nil || placed.ID == "" {
		t.Fatalf("POST /orders: got %d %s, want an order with an id", res.Code, res.Body.String())
	}
	span := f.span(t, "place-order")
	if len(f.logs.records) != 1 {
		t.Fatalf("log records: got %d, want 1 (%+v)", len(f.logs.records), f.logs.records)
	}
	got := f.logs.records[0]
	if got.body != "order placed" || got.attrs["order_id"] != placed.ID || got.attrs["item"] != "9" {
		t.Errorf("log record: got %q %v, want \"order placed\" with order_id %s and item 9", got.body, got.attrs, placed.ID)
	}
	if got.traceID.String() != loadTraceID || got.spanID != span.SpanContext().SpanID() {
		t.Errorf("log record ids: got trace %s span %s, want trace %s span %s (place-order)",
			got.traceID, got.spanID, loadTraceID, span.SpanContext().SpanID())
	}
}

func TestMetricsCountByTemplatedRouteAndStatus(t *testing.T) {
	f := newFixture(t, "", 0)
	f.do(http.MethodGet, "/items/1", "", nil)
	f.do(http.MethodGet, "/items/2", "", nil)
	f.do(http.MethodGet, "/items/5000", "", nil)
	body, _ := io.ReadAll(f.do(http.MethodGet, "/metrics", "", nil).Body)
	for _, want := range []string{
		`http_server_requests_total{method="GET",route="/items/{id}",status="200"} 2`,
		`http_server_requests_total{method="GET",route="/items/{id}",status="404"} 1`,
		`http_server_request_duration_seconds_count{route="/items/{id}"} 3`,
		`go_goroutines `,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestTheProcessingDelayIsSpentInsideTheChildSpan(t *testing.T) {
	const delay = 60 * time.Millisecond
	f := newFixture(t, "", delay)
	start := time.Now()
	f.do(http.MethodGet, "/items/1", "", nil)
	if took := time.Since(start); took < delay {
		t.Errorf("GET /items/1 with CHECKOUT_DELAY=%s took %s", delay, took)
	}
	lookup := f.span(t, "inventory-lookup")
	if took := lookup.EndTime().Sub(lookup.StartTime()); took < delay {
		t.Errorf("inventory-lookup span lasted %s, want at least %s", took, delay)
	}
}
