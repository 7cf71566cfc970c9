from django.core.management import call_command


def test_document_models_and_migrations_agree(db: None) -> None:
    call_command("makemigrations", "documents", "--check", "--dry-run", verbosity=0)
