from django.core.management import call_command


def test_worklist_models_and_migrations_agree(db):
    call_command("makemigrations", "worklist", "--check", "--dry-run", verbosity=0)
