package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

// otlpSink is where the collector under test exports: what arrives here went binary → collector → OTLP.
type otlpSink struct {
	mu     sync.Mutex
	spans  map[string]string // span name → trace id (hex)
	logs   map[string]string // log body → trace id (hex)
	orders []string          // order_id attributes of "order placed"
	names  map[string]bool   // service.name of every resource seen
}

func (s *otlpSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.URL.Path {
	case "/v1/traces":
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, rs := range req.ResourceSpans {
			s.names[resourceServiceName(rs.Resource.GetAttributes())] = true
			for _, ss := range rs.ScopeSpans {
				for _, span := range ss.Spans {
					s.spans[span.Name] = fmt.Sprintf("%x", span.TraceId)
				}
			}
		}
	case "/v1/logs":
		var req collogspb.ExportLogsServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, rl := range req.ResourceLogs {
			s.names[resourceServiceName(rl.Resource.GetAttributes())] = true
			for _, sl := range rl.ScopeLogs {
				for _, record := range sl.LogRecords {
					s.logs[record.Body.GetStringValue()] = fmt.Sprintf("%x", record.TraceId)
					for _, kv := range record.Attributes {
						if kv.Key == "order_id" {
							s.orders = append(s.orders, kv.Value.GetStringValue())
						}
					}
				}
			}
		}
	}
	w.Header().Set(contentTypeKey, "application/x-protobuf")
}

func resourceServiceName(attrs []*commonpb.KeyValue) string {
	for _, kv := range attrs {
		if kv.GetKey() == "service.name" {
			return kv.GetValue().GetStringValue()
		}
	}
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pick a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitHTTP(t *testing.T, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not answer 200 within %s", url, within)
}

func collectorBinary(t *testing.T) string {
	if path := os.Getenv("OTELCOL_SLO"); path != "" {
		return path
	}
	cache := os.Getenv("SLO_HARNESS_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "slo-harness")
	}
	path := filepath.Join(cache, "bin", "otelcol-slo")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no otelcol-slo at %s (tools/install-go-tools.sh otelcol-slo builds it; OTELCOL_SLO overrides): %v", path, err)
	}
	return path
}

const collectorConfig = `
extensions:
  health_check: { endpoint: "127.0.0.1:%d" }
receivers:
  otlp: { protocols: { http: { endpoint: "127.0.0.1:%d" } } }
exporters:
  otlp_http/sink: { endpoint: "%s", compression: none }
service:
  extensions: [health_check]
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp_http/sink] }
    logs: { receivers: [otlp], exporters: [otlp_http/sink] }
`

// TestTheBuiltBinaryExportsThroughARealCollector runs the binary as the harness does (only OTEL_*
// variables) against the stack's own otelcol-slo. Batch delays of a minute mean every span and
// log record that arrives was flushed by the SIGTERM shutdown, which is what this proves too.
func TestTheBuiltBinaryExportsThroughARealCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts a collector")
	}
	collector := collectorBinary(t)
	sink := &otlpSink{spans: map[string]string{}, logs: map[string]string{}, names: map[string]bool{}}
	sinkServer := httptest.NewServer(sink)
	defer sinkServer.Close()

	dir := t.TempDir()
	healthPort, otlpPort, apiPort := freePort(t), freePort(t), freePort(t)
	configFile := filepath.Join(dir, "collector.yaml")
	if err := os.WriteFile(configFile, []byte(fmt.Sprintf(collectorConfig, healthPort, otlpPort, sinkServer.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	collectorLog, _ := os.Create(filepath.Join(dir, "collector.log"))
	col := exec.Command(collector, "--config="+configFile)
	col.Stdout, col.Stderr = collectorLog, collectorLog
	if err := col.Start(); err != nil {
		t.Fatalf("start %s: %v", collector, err)
	}
	defer func() { _ = col.Process.Kill(); _ = col.Wait() }()
	waitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/", healthPort), 30*time.Second)

	binary := filepath.Join(dir, "checkout-api")
	build := exec.Command("go", "build", "-trimpath", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var apiLog strings.Builder
	api := exec.Command(binary)
	api.Stdout, api.Stderr = &apiLog, &apiLog
	api.Env = append(os.Environ(),
		fmt.Sprintf("PORT=%d", apiPort), "HOST=127.0.0.1", "CHECKOUT_TOKEN="+testToken,
		"OTEL_SERVICE_NAME=checkout-api-under-test",
		fmt.Sprintf("OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:%d", otlpPort),
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
		"OTEL_BSP_SCHEDULE_DELAY=60000", "OTEL_BLRP_SCHEDULE_DELAY=60000",
	)
	if err := api.Start(); err != nil {
		t.Fatalf("start %s: %v", binary, err)
	}
	defer func() { _ = api.Process.Kill() }()
	base := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	waitHTTP(t, base+"/health", 10*time.Second)

	itemReq, _ := http.NewRequest(http.MethodGet, base+"/items/7", nil)
	itemReq.Header.Set("traceparent", loadTraceparent)
	orderReq, _ := http.NewRequest(http.MethodPost, base+"/orders", strings.NewReader(`{"item": 7, "quantity": 3}`))
	orderReq.Header.Set("Authorization", "Bearer "+testToken)
	for _, req := range []*http.Request{itemReq, orderReq} {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL, err)
		}
		res.Body.Close()
	}

	if err := api.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- api.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("checkout-api exited with %v after SIGTERM; its log:\n%s", err, apiLog.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("checkout-api still running 15s after SIGTERM; its log:\n%s", apiLog.String())
	}

	// The collector batches nothing here, but exports asynchronously: poll briefly.
	deadline := time.Now().Add(10 * time.Second)
	for {
		sink.mu.Lock()
		done := sink.spans["place-order"] != "" && sink.logs["order placed"] != ""
		sink.mu.Unlock()
		if done || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if sink.spans["GET /items/{id}"] != loadTraceID || sink.spans["inventory-lookup"] != loadTraceID {
		t.Errorf("spans: got %v, want GET /items/{id} and inventory-lookup in trace %s", sink.spans, loadTraceID)
	}
	if sink.logs["item looked up"] != loadTraceID {
		t.Errorf("logs: got %v, want \"item looked up\" in trace %s", sink.logs, loadTraceID)
	}
	orderTrace := sink.spans["place-order"]
	if orderTrace == "" || sink.logs["order placed"] != orderTrace || len(sink.orders) != 1 || sink.orders[0] != "ord-000001" {
		t.Errorf("order: got span trace %q, logs %v, order ids %v; want \"order placed\" for ord-000001 in the place-order trace", orderTrace, sink.logs, sink.orders)
	}
	if len(sink.names) != 1 || !sink.names["checkout-api-under-test"] {
		t.Errorf("service.name: got %v, want only OTEL_SERVICE_NAME's checkout-api-under-test", sink.names)
	}
}
