"""Seed the national standard set of document types from catalog/work_safety.json."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.documents import doctypes

    DocumentType = apps.get_model("documents", "DocumentType")
    data = doctypes.read_catalog(doctypes.shipped_catalog())
    doctypes.sync_types(DocumentType, data, agency_id=None)


def unseed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    Document = apps.get_model("documents", "Document")
    used = Document.objects.values("type_id")
    DocumentType.objects.filter(agency__isnull=True).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_catalog_documents_signatures_delivery")]

    operations = [migrations.RunPython(seed, unseed)]
