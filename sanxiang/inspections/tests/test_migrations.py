from django.core.management import call_command


def test_inspection_models_and_migrations_agree(db):
    call_command("makemigrations", "inspections", "--check", "--dry-run", verbosity=0)
