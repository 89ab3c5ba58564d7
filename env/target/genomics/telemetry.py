"""OpenTelemetry setup for one process (one gunicorn worker).

Done here rather than with the opentelemetry-instrument CLI so the wiring is
visible and so every worker builds its own exporters after the fork: the
batch processors' threads and HTTP sessions must not be shared across fork.
"""

import logging
import os
import threading

from opentelemetry import trace

_lock = threading.Lock()
_configured_pid = None
_pipelines = []  # (provider, exporter) per signal, for shutdown()


class TraceContextFilter(logging.Filter):
    """Puts trace/span ids on stderr lines too, so they join up with Jaeger by eye."""

    def filter(self, record):
        ctx = trace.get_current_span().get_span_context()
        record.trace_id = format(ctx.trace_id, "032x") if ctx.is_valid else "-"
        record.span_id = format(ctx.span_id, "016x") if ctx.is_valid else "-"
        return True


class _PlainAttributes(logging.Filter):
    """django.request puts the WSGIRequest on its records; the OTLP handler
    turns extra record attributes into log attributes and warns about (then
    recursively logs) any that are not primitive."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = f"{getattr(request, 'method', '')} {getattr(request, 'path', request)}".strip()
        return True


def _enabled():
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return os.environ.get("GENOMICS_TELEMETRY", "1") != "0"


def _protocol(signal):
    value = os.environ.get(f"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL") or os.environ.get(
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"
    )
    return value.strip().lower()


def _exporters():
    # Exporters read endpoint/headers/timeout from the standard env vars themselves.
    if _protocol("TRACES") == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    if _protocol("LOGS") == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
    else:
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    return OTLPSpanExporter(), OTLPLogExporter()


def setup():
    global _configured_pid
    with _lock:
        if _configured_pid == os.getpid() or not _enabled():
            return
        _configured_pid = os.getpid()

        from opentelemetry._logs import set_logger_provider
        from opentelemetry.instrumentation.django import DjangoInstrumentor
        from opentelemetry.instrumentation.logging.handler import LoggingHandler
        from opentelemetry.instrumentation.psycopg2 import Psycopg2Instrumentor
        from opentelemetry.sdk._logs import LoggerProvider
        from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        # SDK defaults are 5 s (spans) and 1 s (logs); a test wants both within ~2 s.
        os.environ.setdefault("OTEL_BSP_SCHEDULE_DELAY", "1000")
        os.environ.setdefault("OTEL_BLRP_SCHEDULE_DELAY", "1000")
        # The SDK default is localhost, which may resolve to ::1 first.
        grpc = _protocol("TRACES") == "grpc"
        os.environ.setdefault("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317" if grpc else "http://127.0.0.1:4318")

        attributes = {"process.pid": os.getpid()}
        # Resource.create() lets explicit attributes beat the env; only default the name.
        if not os.environ.get("OTEL_SERVICE_NAME") and "service.name=" not in os.environ.get("OTEL_RESOURCE_ATTRIBUTES", ""):
            attributes["service.name"] = "genomics-api"
        resource = Resource.create(attributes)
        span_exporter, log_exporter = _exporters()

        tracer_provider = TracerProvider(resource=resource)
        tracer_provider.add_span_processor(BatchSpanProcessor(span_exporter))
        _pipelines.append((tracer_provider, span_exporter))
        trace.set_tracer_provider(tracer_provider)

        logger_provider = LoggerProvider(resource=resource)
        logger_provider.add_log_record_processor(BatchLogRecordProcessor(log_exporter))
        set_logger_provider(logger_provider)
        _pipelines.append((logger_provider, log_exporter))
        # On the root logger, beside stderr: each record is exported with the
        # active span's trace_id/span_id. (The SDK's own LoggingHandler is
        # deprecated in favour of this one.)
        otlp_handler = LoggingHandler(logger_provider=logger_provider)
        otlp_handler.addFilter(_PlainAttributes())
        logging.getLogger().addHandler(otlp_handler)

        # Must run before the WSGI handler loads MIDDLEWARE (ready() is early enough).
        DjangoInstrumentor().instrument(tracer_provider=tracer_provider)
        Psycopg2Instrumentor().instrument(tracer_provider=tracer_provider)


def shutdown(timeout_s=2.0):
    """Flush and stop exporting, in bounded time (gunicorn's worker_exit hook).

    Left to the SDK's atexit handler, a worker whose collector is down waits out
    the exporter's retry deadline (10 s per batch, and force_flush ignores its
    timeout), so every stop would last gunicorn's whole graceful_timeout.
    """
    if _configured_pid != os.getpid():
        return
    flusher = threading.Thread(target=lambda: [p.force_flush() for p, _ in _pipelines], daemon=True)
    flusher.start()
    flusher.join(timeout_s)
    # Whatever did not make it is dropped; silence the SDK's "already shut down" chatter.
    logging.getLogger("opentelemetry").setLevel(logging.ERROR)
    for _, exporter in _pipelines:
        exporter.shutdown()  # wakes an export that is sleeping between retries
    for provider, _ in _pipelines:
        provider.shutdown()
