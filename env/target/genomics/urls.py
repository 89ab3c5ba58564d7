from django.urls import include, path

from genomics import views

# Route names become django-prometheus' `view` label, which the SLI rules select on.
urlpatterns = [
    path("health", views.health, name="health"),
    path("health/db", views.health_db, name="health-db"),
    path("analysis/<str:patient_id>", views.run_variant_analysis, name="variant-analysis"),
    path("", include("django_prometheus.urls")),  # GET /metrics
]
