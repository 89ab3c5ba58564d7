import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genomics.settings")
# django.setup() runs GenomicsConfig.ready() (OpenTelemetry) in this process,
# i.e. in each gunicorn worker after fork, as preload_app is off.
application = get_wsgi_application()
