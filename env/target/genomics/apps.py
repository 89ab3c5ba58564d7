from django.apps import AppConfig


class GenomicsConfig(AppConfig):
    name = "genomics"

    def ready(self):
        from genomics import telemetry

        telemetry.setup()
