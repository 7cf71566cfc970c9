from django.core.management import call_command


def test_party_models_and_migrations_agree(db):
    call_command("makemigrations", "parties", "--check", "--dry-run", verbosity=0)
