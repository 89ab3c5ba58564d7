package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

type telemetry struct {
	tracers   *sdktrace.TracerProvider
	loggers   *sdklog.LoggerProvider
	exporting bool
}

// setupTelemetry reads only the standard OTEL_* variables, as the exporters themselves do, so the
// harness (or a team's platform) configures this service like any other OTel SDK user.
func setupTelemetry(ctx context.Context) (*telemetry, error) {
	// Detectors apply in order: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the default name.
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", serviceName)),
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
	)
	if err != nil {
		return nil, fmt.Errorf("OTel resource from OTEL_SERVICE_NAME/OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	tracerOpts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	loggerOpts := []sdklog.LoggerProviderOption{sdklog.WithResource(res)}

	// Spans are still created without an endpoint: their ids propagate into logs and responses.
	endpoint := os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	if endpoint != "" {
		if protocol := os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL"); protocol != "" && protocol != "http/protobuf" {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL=%s: only http/protobuf is built in", protocol)
		}
		spans, err := otlptracehttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("OTLP trace exporter for %s: %w", endpoint, err)
		}
		logs, err := otlploghttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("OTLP log exporter for %s: %w", endpoint, err)
		}
		// The batchers read OTEL_BSP_SCHEDULE_DELAY and OTEL_BLRP_SCHEDULE_DELAY themselves.
		tracerOpts = append(tracerOpts, sdktrace.WithBatcher(spans))
		loggerOpts = append(loggerOpts, sdklog.WithProcessor(sdklog.NewBatchProcessor(logs)))
	}
	return &telemetry{
		tracers:   sdktrace.NewTracerProvider(tracerOpts...),
		loggers:   sdklog.NewLoggerProvider(loggerOpts...),
		exporting: endpoint != "",
	}, nil
}

// shutdown flushes what the batchers still hold; a SIGTERM must not lose the last spans and logs.
func (t *telemetry) shutdown(ctx context.Context) error {
	var errs []error
	if err := t.tracers.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("flush spans: %w", err))
	}
	if err := t.loggers.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("flush logs: %w", err))
	}
	return errors.Join(errs...)
}
