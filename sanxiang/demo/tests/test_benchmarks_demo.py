"""The demo bureau's 裁量基准 on the portal: the 2025 version in force, the 2022 one as history."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from sanxiang.agencies import selectors
from sanxiang.agencies.models import Agency, BenchmarkLevel
from sanxiang.demo.loader import DEMO_AGENCY


@pytest.fixture
def demo(db):
    call_command("load_holidays", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_the_demo_bureau_publishes_its_benchmark_in_force_with_its_earlier_version(demo, client):
    agency = Agency.objects.get(name=DEMO_AGENCY)
    in_force = selectors.benchmark_in_force(agency)
    assert in_force is not None and in_force.document_number == "舒应急〔2025〕12号"
    assert 8 <= in_force.items.count() <= 12
    # Fines stay within the statute's ranges (安全生产法 Art.94–105: at most 20万元 for the unit).
    assert all((level.fine_max_yuan or 0) <= 200_000 for level in BenchmarkLevel.objects.all())
    page = client.get(reverse("disclosure:benchmarks", args=[agency.pk])).content.decode()
    assert "第九十九条第三项" in page and "较重" in page and "舒应急〔2022〕35号" in page
    assert (
        "查看裁量基准及历史版本"
        in client.get(reverse("disclosure:agency", args=[agency.pk])).content.decode()
    )
