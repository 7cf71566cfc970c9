"""The agencies' portal pages (profile, benchmarks, figures) and the decision pages, served from the cache and
refreshed at once when what they show changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.agencies import services as agency_services
from sanxiang.core.personas import make_user
from sanxiang.disclosure import services
from sanxiang.disclosure.models import RevocationGround
from sanxiang.disclosure.tests.published_factories import make_benchmark as benchmark
from sanxiang.disclosure.tests.published_factories import make_published

pytestmark = pytest.mark.django_db


def get(client: Any, name: str, *args: Any, **query: Any) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_benchmarks_page_shows_the_version_in_force_its_levels_and_the_history(client, personas):
    benchmark(personas, "甲应急〔2022〕35号", datetime.date(2022, 5, 1), "旧版违法行为")
    benchmark(personas, "甲应急〔2025〕12号", datetime.date(2025, 3, 1), "未设置明显的安全警示标志")
    page = get(client, "disclosure:benchmarks", personas.agency_a.pk)
    assert "未设置明显的安全警示标志" in page and "旧版违法行为" not in page
    assert "第九十九条第一项" in page and "30000–50000" in page and "10000 以下" in page
    assert page.index("轻微") < page.index("较重")
    assert "不予处罚、从轻、减轻处罚" in page and "现行有效" in page
    assert "甲应急〔2022〕35号" in page  # the history
    old = get(client, "disclosure:benchmarks", personas.agency_a.pk, version=1)
    assert "旧版违法行为" in old and "已被新版本替代" in old
    assert (
        client.get(reverse("disclosure:benchmarks", args=[personas.agency_a.pk]), {"version": 9}).status_code
        == 404
    )


def test_a_version_published_for_a_later_day_is_announced_but_not_yet_in_force(client, personas):
    benchmark(personas, "甲应急〔2025〕12号", datetime.date(2025, 3, 1), "现行违法行为")
    benchmark(personas, "甲应急〔2099〕1号", datetime.date(2099, 1, 1), "将来违法行为")
    page = get(client, "disclosure:benchmarks", personas.agency_a.pk)
    assert "现行违法行为" in page and "将来违法行为" not in page
    assert "自2099年1月1日起施行" in page


def test_an_agency_without_a_benchmark_says_so(client, personas):
    assert "尚未公布行政处罚裁量基准" in get(client, "disclosure:benchmarks", personas.agency_b.pk)
    assert client.get(reverse("disclosure:benchmarks", args=[999999])).status_code == 404


def test_the_agency_page_links_its_benchmarks_and_figures(client, personas):
    benchmark(personas, "甲应急〔2025〕12号", datetime.date(2025, 3, 1), "违法行为")
    page = get(client, "disclosure:agency", personas.agency_a.pk)
    assert reverse("disclosure:benchmarks", args=[personas.agency_a.pk]) in page
    assert reverse("disclosure:statistics", args=[personas.agency_a.pk]) in page
    assert "甲应急〔2025〕12号" in page


@pytest.mark.parametrize("name", ["disclosure:agency", "disclosure:benchmarks", "disclosure:statistics"])
def test_an_agency_page_is_not_rebuilt_on_a_second_request(client, personas, django_assert_num_queries, name):
    get(client, name, personas.agency_a.pk)
    with django_assert_num_queries(0):
        get(client, name, personas.agency_a.pk)


def test_an_agency_page_shows_an_edit_of_the_agencys_data_at_once(
    client, personas, django_capture_on_commit_callbacks
):
    get(client, "disclosure:agency", personas.agency_a.pk)
    get(client, "disclosure:benchmarks", personas.agency_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        agency_services.agency_update(actor=None, agency=personas.agency_a, complaint_phone="0564-8888888")
        agency_services.officer_set_status(
            actor=None, officer=personas.alice_officer, status="revoked", reason="调离执法岗位"
        )
    page = get(client, "disclosure:agency", personas.agency_a.pk)
    assert "0564-8888888" in page and "34152301001" not in page
    with django_capture_on_commit_callbacks(execute=True):
        benchmark(personas, "甲应急〔2025〕12号", datetime.date(2025, 3, 1), "新发布的违法行为")
    assert "新发布的违法行为" in get(client, "disclosure:benchmarks", personas.agency_a.pk)


def test_a_decision_page_is_served_from_the_cache_and_a_withdrawal_shows_at_once(
    client, personas, django_assert_num_queries, django_capture_on_commit_callbacks
):
    discloser = make_user("dora", agency=personas.agency_a, roles=[Role.DISCLOSER], name="朵拉")
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_published(personas.agency_a, "舒城县宏达化工有限公司")
    assert "未对安全设备进行经常性维护" in get(client, "disclosure:published_detail", publication.pk)
    with django_assert_num_queries(0):
        get(client, "disclosure:published_detail", publication.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(
            publication=publication,
            actor=discloser,
            reason="该决定已被行政复议决定撤销。",
            ground=RevocationGround.REVOKED,
        )
    page = get(client, "disclosure:published_detail", publication.pk)
    assert "该信息已撤回" in page and "该决定已被行政复议决定撤销。" in page
    assert "未对安全设备进行经常性维护" not in page


def test_an_expired_decision_leaves_its_cached_page(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_published(personas.agency_a, "舒城县宏达化工有限公司")
    get(client, "disclosure:published_detail", publication.pk)
    publication.ends_on = datetime.date(2026, 6, 5)
    publication.save(update_fields=["ends_on"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publication_expire(publication=publication, today=datetime.date(2026, 6, 6))
    assert client.get(reverse("disclosure:published_detail", args=[publication.pk])).status_code == 404
