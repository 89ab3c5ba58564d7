package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

const (
	itemCount      = 1000
	maxQuantity    = 100
	maxOrderBytes  = 64 << 10
	bearerPrefix   = "Bearer "
	authChallenge  = `Bearer realm="checkout-api"`
	contentTypeKey = "Content-Type"
)

type server struct {
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
	logger     *slog.Logger
	metrics    *httpMetrics
	recorder   *recorder
	token      string
	delay      time.Duration
	lastOrder  atomic.Uint64
}

type item struct {
	ID         int    `json:"id"`
	Name       string `json:"name"`
	PriceCents int    `json:"priceCents"`
}

type orderRequest struct {
	Item     int `json:"item"`
	Quantity int `json:"quantity"`
}

type order struct {
	ID       string `json:"id"`
	Item     int    `json:"item"`
	Quantity int    `json:"quantity"`
	Status   string `json:"status"`
}

func (s *server) routes(registry *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	s.handle(mux, http.MethodGet, "/health", s.health)
	s.handle(mux, http.MethodGet, "/items/{id}", s.getItem)
	s.handle(mux, http.MethodPost, "/orders", s.placeOrder)
	mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	mux.Handle("GET /debug/requests", s.recorder)
	return s.recorder.middleware(mux)
}

func (s *server) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set(contentTypeKey, "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}

func (s *server) getItem(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	ctx, span := s.tracer.Start(r.Context(), "inventory-lookup", trace.WithAttributes(attribute.String("item.id", r.PathValue("id"))))
	found := err == nil && id >= 1 && id <= itemCount
	span.SetAttributes(attribute.Bool("item.found", found))
	s.process(ctx)
	// One line per lookup, so a load of reads alone proves logs reach the log store with its trace ids.
	s.logger.InfoContext(ctx, "item looked up", "item", r.PathValue("id"), "found", found)
	span.End()
	if !found {
		writeError(w, http.StatusNotFound, fmt.Sprintf("item %q does not exist (ids are 1..%d)", r.PathValue("id"), itemCount))
		return
	}
	writeJSON(w, http.StatusOK, item{ID: id, Name: fmt.Sprintf("item-%d", id), PriceCents: 100 + id*7%9900})
}

func (s *server) placeOrder(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", authChallenge)
		writeError(w, http.StatusUnauthorized, "an Authorization: Bearer token matching CHECKOUT_TOKEN is required")
		return
	}
	var req orderRequest
	decoder := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxOrderBytes))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf(`body: expected {"item": <id>, "quantity": <n>}: %v`, err))
		return
	}
	if req.Item < 1 || req.Item > itemCount {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("item: %d does not exist (ids are 1..%d)", req.Item, itemCount))
		return
	}
	if req.Quantity < 1 || req.Quantity > maxQuantity {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("quantity: expected 1..%d, got %d", maxQuantity, req.Quantity))
		return
	}
	ctx, span := s.tracer.Start(r.Context(), "place-order", trace.WithAttributes(
		attribute.Int("order.item", req.Item), attribute.Int("order.quantity", req.Quantity)))
	defer span.End()
	s.process(ctx)
	placed := order{ID: fmt.Sprintf("ord-%06d", s.lastOrder.Add(1)), Item: req.Item, Quantity: req.Quantity, Status: "placed"}
	span.SetAttributes(attribute.String("order.id", placed.ID))
	s.logger.InfoContext(ctx, "order placed", "order_id", placed.ID, "item", placed.Item, "quantity", placed.Quantity)
	writeJSON(w, http.StatusCreated, placed)
}

// authorized is open when no CHECKOUT_TOKEN is set, so a smoke run needs no secret.
func (s *server) authorized(r *http.Request) bool {
	if s.token == "" {
		return true
	}
	given := r.Header.Get("Authorization")
	return len(given) > len(bearerPrefix) && given[:len(bearerPrefix)] == bearerPrefix &&
		subtle.ConstantTimeCompare([]byte(given[len(bearerPrefix):]), []byte(s.token)) == 1
}

// process stands in for the work a real checkout does, so CHECKOUT_DELAY shows up inside the child
// span where a trace reader would look for it; a client that gives up stops the wait.
func (s *server) process(ctx context.Context) {
	if s.delay <= 0 {
		return
	}
	timer := time.NewTimer(s.delay)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set(contentTypeKey, "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}
