// Command checkout-api is slo-harness's second reference target: a small service instrumented the
// way a team's own would be (OTLP traces and logs, a Prometheus /metrics), so the harness can prove
// it drives, breaks and observes a service it did not grow up with.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/propagation"
)

const serviceName = "checkout-api"

// shutdownGrace bounds a SIGTERM: in-flight requests finish, then exporters flush, well inside
// the 30 s a kubelet or `docker stop` waits before SIGKILL.
const shutdownGrace = 10 * time.Second

type config struct {
	addr  string
	token string
	delay time.Duration
}

func configFromEnv() (config, error) {
	cfg := config{
		addr:  net.JoinHostPort(envOr("HOST", "127.0.0.1"), envOr("PORT", "8080")),
		token: os.Getenv("CHECKOUT_TOKEN"),
	}
	if raw := os.Getenv("CHECKOUT_DELAY"); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 0 {
			return cfg, fmt.Errorf("CHECKOUT_DELAY: expected a duration like \"50ms\", got %q", raw)
		}
		cfg.delay = d
	}
	return cfg, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", serviceName, err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := configFromEnv()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	tel, err := setupTelemetry(ctx)
	if err != nil {
		return err
	}
	// stderr keeps a readable log in the harness's run directory even when nothing is exported.
	logger := slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(os.Stderr, nil),
		otelslog.NewHandler(serviceName, otelslog.WithLoggerProvider(tel.loggers)),
	))
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	srv := &server{
		tracer:     tel.tracers.Tracer(serviceName),
		propagator: propagation.TraceContext{},
		logger:     logger,
		metrics:    newHTTPMetrics(registry),
		recorder:   newRecorder(recordedRequests),
		token:      cfg.token,
		delay:      cfg.delay,
	}

	// Listening before logging "listening" makes a taken port fail the process, not a goroutine.
	listener, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	httpServer := &http.Server{Handler: srv.routes(registry), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(listener) }()
	logger.Info("listening", "addr", listener.Addr().String(), "exporting", tel.exporting, "delay", cfg.delay)

	select {
	case err = <-served:
		err = fmt.Errorf("serve on %s: %w", cfg.addr, err)
	case <-ctx.Done():
		logger.Info("shutting down", "grace", shutdownGrace)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if shutdownErr := httpServer.Shutdown(shutdownCtx); shutdownErr != nil {
		err = errors.Join(err, fmt.Errorf("drain HTTP requests: %w", shutdownErr))
	}
	return errors.Join(err, tel.shutdown(shutdownCtx))
}
