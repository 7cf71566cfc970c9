from django.core.management import call_command


def test_api_models_and_migrations_agree(db):
    call_command("makemigrations", "api", "--check", "--dry-run", verbosity=0)
