"""The inspections counter moves into documents.NumberSeries, the one series of numbers for the whole system.

Every counter row raises its series to at least the counter's last serial (the larger one wins where the
series already exists), so no number already given is given again; then the counter is dropped. Going back
recreates the counter from the series of the codes this app numbered with.
"""

from django.db import migrations

from sanxiang.documents.numbering import adopt_counters

CODES = ["应急检查", "应急责改", "应急现决", "应急复查"]


def counters_to_series(apps, schema_editor):
    counter = apps.get_model("inspections", "NumberCounter")
    series = apps.get_model("documents", "NumberSeries")
    adopt_counters(series, counter.objects.values_list("agency_id", "code", "year", "last"))


def series_to_counters(apps, schema_editor):
    counter = apps.get_model("inspections", "NumberCounter")
    series = apps.get_model("documents", "NumberSeries")
    rows = series.objects.filter(code__in=CODES).values_list("agency_id", "code", "year", "last")
    adopt_counters(counter, rows)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("documents", "0001_number_series"),
    ]

    operations = [
        migrations.RunPython(counters_to_series, series_to_counters),
        migrations.DeleteModel(name="NumberCounter"),
    ]
