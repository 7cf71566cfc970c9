from django.core.management import call_command


def test_coercion_models_and_migrations_agree(db):
    call_command("makemigrations", "coercion", "--check", "--dry-run", verbosity=0)
