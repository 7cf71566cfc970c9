"""The 查封扣押决定书 counter moves into documents.NumberSeries, the one series of numbers for the whole system.

Every counter row raises the series 应急查扣 of its agency and year to at least the counter's last serial (the
larger one wins where the series already exists), so no number already given is given again; then the
counter is dropped. Going back recreates the counter from the 应急查扣 series.
"""

from django.db import migrations

from sanxiang.documents.numbering import adopt_counters

CODE = "应急查扣"


def counters_to_series(apps, schema_editor):
    counter = apps.get_model("coercion", "MeasureNumberCounter")
    series = apps.get_model("documents", "NumberSeries")
    rows = counter.objects.values_list("agency_id", "year", "last")
    adopt_counters(series, [(agency_id, CODE, year, last) for agency_id, year, last in rows])


def series_to_counters(apps, schema_editor):
    counter = apps.get_model("coercion", "MeasureNumberCounter")
    series = apps.get_model("documents", "NumberSeries")
    for agency_id, year, last in series.objects.filter(code=CODE).values_list("agency_id", "year", "last"):
        counter.objects.update_or_create(agency_id=agency_id, year=year, defaults={"last": last})


class Migration(migrations.Migration):
    dependencies = [
        ("coercion", "0001_initial"),
        ("documents", "0001_number_series"),
    ]

    operations = [
        migrations.RunPython(counters_to_series, series_to_counters),
        migrations.DeleteModel(name="MeasureNumberCounter"),
    ]
