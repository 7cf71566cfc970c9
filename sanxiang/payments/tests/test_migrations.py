from django.core.management import call_command


def test_payment_models_and_migrations_agree(db):
    call_command("makemigrations", "payments", "--check", "--dry-run", verbosity=0)
