import random

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from psycopg2.extras import execute_values

DDL = """
CREATE TABLE IF NOT EXISTS patients (
    patient_id text PRIMARY KEY,
    cohort     text NOT NULL
);
CREATE TABLE IF NOT EXISTS variants (
    id         bigserial PRIMARY KEY,
    patient_id text NOT NULL REFERENCES patients (patient_id),
    chrom      text NOT NULL,
    pos        integer NOT NULL,
    ref        text NOT NULL,
    alt        text NOT NULL,
    gene       text NOT NULL,
    impact     text NOT NULL
);
CREATE INDEX IF NOT EXISTS variants_patient_id_idx ON variants (patient_id);
"""
GENES = (
    "BRCA1 BRCA2 TP53 PTEN ATM CHEK2 PALB2 MLH1 MSH2 MSH6 PMS2 APC MUTYH CDH1 STK11 "
    "RB1 VHL RET MEN1 NF1 KRAS EGFR BRAF PIK3CA CFTR HBB LDLR APOB PCSK9 MYH7"
).split()
CHROMS = [str(n) for n in range(1, 23)] + ["X"]
IMPACTS, IMPACT_WEIGHTS = ("HIGH", "MODERATE", "LOW", "MODIFIER"), (5, 20, 30, 45)
COHORTS = ("hereditary-cancer", "cardio", "rare-disease")
SEED_LOCK = 0x67656E6F  # serialises concurrent seeders


def patient_id(n):
    return f"P{n:06d}"


def synth_variants(pid):
    # Seeded per patient with a str (hashed with sha512, not PYTHONHASHSEED), so
    # a patient's data is the same however many patients are seeded.
    rng = random.Random(f"genomics-api:{pid}")
    rows = []
    for _ in range(rng.randint(30, 50)):
        ref = rng.choice("ACGT")
        alt = rng.choice([b for b in "ACGT" if b != ref])
        if rng.random() < 0.1:  # a few small indels
            alt = ref + "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 4)))
        impact = rng.choices(IMPACTS, IMPACT_WEIGHTS)[0]
        rows.append((pid, rng.choice(CHROMS), rng.randint(10_000, 200_000_000), ref, alt, rng.choice(GENES), impact))
    return rng.choice(COHORTS), rows


class Command(BaseCommand):
    help = "Create the patients/variants tables and insert deterministic synthetic data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=500)

    def handle(self, *args, patients, **options):
        wanted = [patient_id(n) for n in range(1, patients + 1)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEED_LOCK])
            cursor.execute(DDL)
            cursor.execute("SELECT patient_id FROM patients")
            existing = {row[0] for row in cursor.fetchall()}
            missing = [pid for pid in wanted if pid not in existing]
            patient_rows, variant_rows = [], []
            for pid in missing:
                cohort, rows = synth_variants(pid)
                patient_rows.append((pid, cohort))
                variant_rows.extend(rows)
            if missing:
                raw = cursor.cursor  # execute_values needs the psycopg2 cursor itself
                execute_values(raw, "INSERT INTO patients (patient_id, cohort) VALUES %s", patient_rows, page_size=1000)
                execute_values(
                    raw,
                    "INSERT INTO variants (patient_id, chrom, pos, ref, alt, gene, impact) VALUES %s",
                    variant_rows,
                    page_size=2000,
                )
                cursor.execute("ANALYZE patients; ANALYZE variants")
        self.stdout.write(
            f"seed_variants: {len(missing)} patients / {len(variant_rows)} variants inserted, "
            f"{len(existing)} patients already present"
        )
