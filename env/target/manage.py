#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genomics.settings")
    # One-shot commands (seed_variants) must not wait on an OTLP endpoint at exit.
    os.environ.setdefault("GENOMICS_TELEMETRY", "1" if "runserver" in sys.argv else "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
