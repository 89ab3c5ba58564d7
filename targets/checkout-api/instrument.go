package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(registry prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_server_requests_total",
			Help: "HTTP requests answered, by method, templated route and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_server_request_duration_seconds",
			Help: "Time from receiving a request to its handler returning, by templated route.",
			// Up to 10 s: a paused or slowed service must land in a bucket, not only in +Inf.
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	registry.MustRegister(m.requests, m.duration)
	return m
}

// handle registers a route with its server span and metrics, labelled by the templated route so
// /items/1 and /items/2 are one series and one Jaeger operation ("GET /items/{id}").
func (s *server) handle(mux *http.ServeMux, method, route string, handler http.HandlerFunc) {
	mux.Handle(method+" "+route, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx := s.propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := s.tracer.Start(ctx, method+" "+route,
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(
				attribute.String("http.request.method", method),
				attribute.String("http.route", route),
				attribute.String("url.path", r.URL.Path),
			))
		defer span.End()
		recorded := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		handler(recorded, r.WithContext(ctx))
		span.SetAttributes(attribute.Int("http.response.status_code", recorded.status))
		if recorded.status >= http.StatusInternalServerError {
			span.SetStatus(codes.Error, http.StatusText(recorded.status))
		}
		s.metrics.requests.WithLabelValues(method, route, strconv.Itoa(recorded.status)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}))
}

// statusWriter remembers the status a handler answered; net/http does not expose it.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(body []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(body)
}
