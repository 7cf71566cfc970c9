import pytest
from django.core.management import call_command
from django.urls import reverse

from sanxiang.complaints.models import Complaint, ComplaintStatus


@pytest.fixture
def demo(db):
    call_command("load_holidays", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_the_demo_has_complaints_in_each_state_followed_with_the_readmes_codes(demo, client):
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED, ComplaintStatus.ANSWERED} <= statuses
    page = client.post(reverse("complaints:track"), {"code": "TS26-0000-0003"}).content.decode()
    assert "已答复" in page and "责令该公司停止违法行为" in page
