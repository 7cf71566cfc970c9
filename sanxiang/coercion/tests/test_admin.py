import pytest
from django.urls import reverse

from sanxiang.coercion.tests.factories import in_force, preserved

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    from sanxiang.accounts.models import User

    root = User.objects.create_superuser(
        username="root", password="x-Long-Password-1", agency=world.p.agency_a
    )
    client.force_login(root)
    return client


def test_admin_shows_measures_and_preservations_read_only(admin_client, world):
    import datetime

    measure = in_force(world)
    preservation = preserved(world, datetime.date(2026, 9, 24))
    page = admin_client.get(reverse("admin:coercion_coercivemeasure_changelist")).content.decode()
    assert measure.number in page
    assert (
        admin_client.get(reverse("admin:coercion_coercivemeasure_change", args=[measure.pk])).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:coercion_coercivemeasure_add")).status_code == 403
    url = reverse("admin:coercion_preservation_delete", args=[preservation.pk])
    assert admin_client.get(url).status_code == 403
