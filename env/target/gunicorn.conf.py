# gunicorn -c env/target/gunicorn.conf.py [genomics.wsgi:application]
import glob
import os
import shutil
import tempfile

_here = os.path.dirname(os.path.abspath(__file__))

wsgi_app = "genomics.wsgi:application"
pythonpath = _here  # so the harness may start us from any cwd
# BIND wins; else HOST:PORT, the pair a harness or platform hands a service.
bind = [os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
# Fixed, bounded concurrency (workers x threads requests in flight, the rest
# queue in the listen backlog): saturation must be reachable and repeatable.
workers = int(os.environ.get("WORKERS", "4"))
threads = int(os.environ.get("THREADS", "2"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 10
# Off so each worker imports Django (and so sets up OpenTelemetry) after fork.
preload_app = False
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms %(p)s'
# gunicorn >= 25 opens ~/.gunicorn/gunicorn.ctl by default; concurrent
# instances would fight over it and we have no use for it.
control_socket_disable = True

# Each worker has its own prometheus registry; in multiprocess mode they
# write to files in PROMETHEUS_MULTIPROC_DIR and /metrics sums them, whichever
# worker serves it. Without one given, a temp dir lives as long as the master.
_own_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def when_ready(server):
    # Here rather than at import: after the bind succeeded (no leak when it
    # fails) and before any worker is forked (they inherit the env).
    if _own_metrics_dir:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="genomics-api-metrics-")
    for stale in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(stale)


def worker_exit(server, worker):
    from genomics import telemetry

    telemetry.shutdown()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_metrics_dir and "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
