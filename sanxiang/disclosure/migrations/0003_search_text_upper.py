from django.db import migrations

# The search text is kept in upper case (Chinese is unchanged; Latin letters of credit codes, plates and
# numbers are folded), so a keyword search is a plain LIKE on the column: the trigram GIN index is on the
# column itself and the planner has the column's statistics (a histogram of 1,000 samples) to tell a common
# keyword, best read newest-first along the list index, from a rare one, best found through the GIN index.
POSTGRES = [
    "DROP INDEX IF EXISTS publication_search_trgm",
    "CREATE INDEX IF NOT EXISTS publication_search_trgm ON disclosure_publication "
    "USING gin (search_text gin_trgm_ops)",
    "ALTER TABLE disclosure_publication ALTER COLUMN search_text SET STATISTICS 1000",
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS publication_search_trgm",
    "CREATE INDEX IF NOT EXISTS publication_search_trgm ON disclosure_publication "
    "USING gin (UPPER(search_text) gin_trgm_ops)",
    "ALTER TABLE disclosure_publication ALTER COLUMN search_text SET STATISTICS -1",
]


def _postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


def upper_search_text(apps, schema_editor):
    publication_model = apps.get_model("disclosure", "Publication")
    for pk, text in publication_model.objects.exclude(search_text="").values_list("pk", "search_text"):
        if text != text.upper():
            publication_model.objects.filter(pk=pk).update(search_text=text.upper())


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_portal_search")]

    operations = [
        migrations.RunPython(upper_search_text, migrations.RunPython.noop),
        migrations.RunPython(_postgres(POSTGRES), _postgres(POSTGRES_BACK)),
    ]
