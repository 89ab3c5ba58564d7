import os


def env_int(name, default):
    return int(os.environ.get(name) or default)


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-genomics-api-not-secret")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")
ROOT_URLCONF = "genomics.urls"
WSGI_APPLICATION = "genomics.wsgi.application"
USE_TZ = True
# UTC both here and on the session (below): otherwise Django issues a
# set_config('TimeZone') round trip on every new connection, i.e. every request.
TIME_ZONE = "UTC"

# No contrib apps: nothing here needs auth, sessions or migrations.
INSTALLED_APPS = ["django_prometheus", "genomics.apps.GenomicsConfig"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

_pg_options = f"-c TimeZone=UTC -c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 5000)}"
if os.environ.get("DB_LOCK_TIMEOUT_MS"):
    _pg_options += f" -c lock_timeout={env_int('DB_LOCK_TIMEOUT_MS', 0)}"

DATABASES = {
    "default": {
        # The prometheus wrapper adds django_db_* metrics around Django's backend.
        "ENGINE": "django_prometheus.db.backends.postgresql",
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "NAME": os.environ.get("PGDATABASE", "genomics"),
        # 0 = a fresh connection per request, so an exhausted server fails
        # requests immediately ("too many clients") instead of hiding behind a pool.
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 0),
        "OPTIONS": {
            "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
            "options": _pg_options,
            "application_name": "genomics-api",
        },
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"trace": {"()": "genomics.telemetry.TraceContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(name)s] [pid=%(process)d "
            "trace_id=%(trace_id)s span_id=%(span_id)s] %(message)s"
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["trace"],
            "formatter": "plain",
        }
    },
    # The OTLP log handler is added to the root logger in ready(), next to stderr.
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"genomics": {"level": os.environ.get("APP_LOG_LEVEL", "INFO")}},
}

# Gunicorn workers are separate processes; gunicorn.conf.py sets
# PROMETHEUS_MULTIPROC_DIR so /metrics aggregates all of them.
PROMETHEUS_EXPORT_MIGRATIONS = False
