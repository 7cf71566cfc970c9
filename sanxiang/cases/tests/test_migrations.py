from django.core.management import call_command


def test_case_models_and_migrations_agree(db: None) -> None:
    call_command("makemigrations", "cases", "--check", "--dry-run", verbosity=0)
