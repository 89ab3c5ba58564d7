import logging
import time
from collections import Counter

from django.db import DatabaseError, connection
from django.http import JsonResponse
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

logger = logging.getLogger("genomics.analysis")
tracer = trace.get_tracer("genomics.analysis")

TRANSITIONS = {("A", "G"), ("G", "A"), ("C", "T"), ("T", "C")}
VARIANTS_SQL = """
    SELECT v.chrom, v.pos, v.ref, v.alt, v.gene, v.impact
    FROM patients p LEFT JOIN variants v ON v.patient_id = p.patient_id
    WHERE p.patient_id = %s
    ORDER BY v.chrom, v.pos
"""


def health(request):
    return JsonResponse({"status": "ok"})


def health_db(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("database health check failed: %s", exc)
        return JsonResponse({"status": "unavailable", "error": str(exc).strip()}, status=503)
    return JsonResponse({"status": "ok"})


def _summarise(rows):
    impacts = Counter(r[5] for r in rows)
    genes = Counter(r[4] for r in rows if r[5] in ("HIGH", "MODERATE"))
    snvs = [r for r in rows if len(r[2]) == 1 and len(r[3]) == 1]
    ti = sum(1 for r in snvs if (r[2], r[3]) in TRANSITIONS)
    tv = len(snvs) - ti
    return {
        "impact_counts": dict(sorted(impacts.items())),
        "ti_tv_ratio": round(ti / tv, 3) if tv else None,
        "top_affected_genes": [g for g, _ in genes.most_common(5)],
    }


def run_variant_analysis(request, patient_id):
    analysis_type = request.GET.get("type", "germline")
    with tracer.start_as_current_span("variant-analysis") as span:
        started = time.perf_counter()
        span.set_attribute("patient.id", patient_id)
        span.set_attribute("analysis.type", analysis_type)
        try:
            with connection.cursor() as cursor:
                cursor.execute(VARIANTS_SQL, [patient_id])
                rows = cursor.fetchall()
        except DatabaseError as exc:
            message = str(exc).strip()
            span.record_exception(exc)
            span.set_attribute("analysis.duration_ms", round((time.perf_counter() - started) * 1000, 3))
            span.set_status(Status(StatusCode.ERROR, message))
            logger.error("variant analysis failed for patient %s: %s", patient_id, message)
            return JsonResponse({"error": "database unavailable", "detail": message, "patient_id": patient_id}, status=503)

        if not rows:
            span.set_attribute("analysis.variants_found", 0)
            return JsonResponse({"error": "unknown patient", "patient_id": patient_id}, status=404)

        variants = [r for r in rows if r[0] is not None]  # LEFT JOIN: a patient with no variants
        result = _summarise(variants)
        duration_ms = round((time.perf_counter() - started) * 1000, 3)
        span.set_attribute("analysis.variants_found", len(variants))
        span.set_attribute("analysis.duration_ms", duration_ms)
        logger.info("variant analysis for patient %s found %d variants in %.1f ms", patient_id, len(variants), duration_ms)
        return JsonResponse(
            {
                "patient_id": patient_id,
                "analysis_type": analysis_type,
                "variants_found": len(variants),
                "duration_ms": duration_ms,
                **result,
            }
        )
