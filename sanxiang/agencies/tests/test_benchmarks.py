"""行政处罚裁量基准: versions drafted, published once, in force from their day, never edited after."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.agencies import selectors, services
from sanxiang.agencies.admin import BenchmarkItemInline, DiscretionBenchmarkAdmin
from sanxiang.agencies.models import BenchmarkItem, DiscretionBenchmark
from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event

pytestmark = pytest.mark.django_db

ROW: dict[str, Any] = {
    "violation": "未对安全设备进行经常性维护、保养和定期检测",
    "violated_provision": "《中华人民共和国安全生产法》第三十六条第二款",
    "penalty_provision": "《中华人民共和国安全生产法》第九十九条第三项",
    "leniency_note": "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。",
    "levels": [
        {
            "level": "grave",
            "circumstance": "逾期未改正的",
            "penalty": "处五万元以上二十万元以下的罚款",
            "fine_min_yuan": 50000,
            "fine_max_yuan": 200000,
        },
        {
            "level": "general",
            "circumstance": "涉及 2 台以上的",
            "penalty": "处一万元以上三万元以下的罚款",
            "fine_min_yuan": 10000,
            "fine_max_yuan": 30000,
        },
    ],
}


def draft(personas: Any, *, effective_on: datetime.date = datetime.date(2025, 3, 1), **kwargs: Any):
    return services.benchmark_draft(
        actor=personas.bob,
        agency=personas.agency_a,
        title="甲县应急管理局安全生产行政处罚裁量基准",
        document_number=kwargs.pop("document_number", "甲应急〔2025〕12号"),
        effective_on=effective_on,
        items=kwargs.pop("items", [ROW]),
        **kwargs,
    )


def test_a_benchmark_is_drafted_with_its_rows_and_published_with_audit_events(personas):
    benchmark = draft(personas)
    services.benchmark_publish(actor=personas.bob, benchmark=benchmark)
    benchmark.refresh_from_db()
    assert benchmark.number == 1 and benchmark.is_published and benchmark.published_by == personas.bob
    (item,) = selectors.benchmark_items(benchmark)
    assert item.violation == ROW["violation"] and item.leniency_note
    assert [lv.level for lv in item.levels_in_order()] == [
        "general",
        "grave",
    ]  # 轻微 → 严重, whatever the input
    assert [e.event_type for e in Event.objects.order_by("seq")] == [
        EventType.DISCRETION_BENCHMARK_DRAFTED,
        EventType.DISCRETION_BENCHMARK_PUBLISHED,
    ]


def test_a_published_benchmark_is_never_edited_in_place(personas):
    benchmark = services.benchmark_publish(actor=personas.bob, benchmark=draft(personas))
    with pytest.raises(ValidationError, match="已发布的裁量基准不能修改"):
        services.benchmark_update(actor=personas.bob, benchmark=benchmark, title="改过的名称")
    with pytest.raises(ValidationError, match="该版本已发布"):
        services.benchmark_publish(actor=personas.bob, benchmark=benchmark)
    assert DiscretionBenchmark.objects.get().title == "甲县应急管理局安全生产行政处罚裁量基准"


def test_the_admin_shows_a_published_benchmark_read_only(personas, rf):
    from django.contrib.admin.sites import site

    published = services.benchmark_publish(actor=personas.bob, benchmark=draft(personas))
    open_draft = draft(personas, document_number="甲应急〔2026〕3号", effective_on=datetime.date(2026, 7, 1))
    request = rf.get("/")
    request.user = personas.bob
    personas.bob.is_superuser = True
    admin = DiscretionBenchmarkAdmin(DiscretionBenchmark, site)
    inline = BenchmarkItemInline(DiscretionBenchmark, site)
    assert not admin.has_change_permission(request, published)
    assert not inline.has_add_permission(request, published)
    assert admin.has_change_permission(request, open_draft)
    assert not admin.has_delete_permission(request, open_draft)


def test_a_new_version_supersedes_the_old_from_its_effective_day_and_the_old_stays_as_history(personas):
    old = services.benchmark_publish(
        actor=personas.bob,
        benchmark=draft(
            personas, document_number="甲应急〔2022〕35号", effective_on=datetime.date(2022, 5, 1)
        ),
    )
    new = services.benchmark_publish(actor=personas.bob, benchmark=draft(personas))
    assert new.number == 2
    agency = personas.agency_a
    assert selectors.benchmark_in_force(agency, datetime.date(2025, 2, 28)) == old
    assert selectors.benchmark_in_force(agency, datetime.date(2025, 3, 1)) == new
    assert selectors.benchmark_in_force(agency, datetime.date(2022, 4, 30)) is None
    assert list(selectors.published_benchmarks(agency)) == [new, old]


def test_a_draft_is_not_public_and_not_in_force(personas):
    draft(personas)
    assert selectors.benchmark_in_force(personas.agency_a, datetime.date(2026, 1, 1)) is None
    assert not selectors.published_benchmarks(personas.agency_a).exists()


def test_a_version_cannot_take_effect_before_one_already_published(personas):
    services.benchmark_publish(actor=personas.bob, benchmark=draft(personas))
    earlier = draft(personas, document_number="甲应急〔2024〕1号", effective_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="施行日期不能早于"):
        services.benchmark_publish(actor=personas.bob, benchmark=earlier)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": "extreme"}, "情节须为轻微、一般、较重或严重"),
        ({"fine_min_yuan": 40000, "fine_max_yuan": 30000}, "罚款下限不能高于上限"),
        ({"penalty": " "}, "每个情节须填写适用情形和处罚标准"),
    ],
)
def test_a_bad_level_is_refused_in_chinese_and_nothing_is_saved(personas, change, message):
    row = {**ROW, "levels": [{**ROW["levels"][1], **change}]}
    with pytest.raises(ValidationError, match=message):
        draft(personas, items=[row])
    assert not DiscretionBenchmark.objects.exists() and not BenchmarkItem.objects.exists()
    assert not Event.objects.exists()


def test_a_benchmark_without_rows_cannot_be_published(personas):
    with pytest.raises(ValidationError, match="没有任何裁量事项"):
        services.benchmark_publish(actor=personas.bob, benchmark=draft(personas, items=[]))


def test_only_the_agencys_admin_leader_or_legal_reviewer_keeps_its_benchmarks(personas):
    with pytest.raises(PermissionDenied):
        services.benchmark_draft(
            actor=personas.alice,  # an officer
            agency=personas.agency_a,
            title="裁量基准",
            document_number="甲应急〔2025〕12号",
            effective_on=datetime.date(2025, 3, 1),
        )
    with pytest.raises(PermissionDenied):
        services.benchmark_draft(
            actor=personas.bob,  # legal reviewer of agency A, not of B
            agency=personas.agency_b,
            title="裁量基准",
            document_number="乙应急〔2025〕12号",
            effective_on=datetime.date(2025, 3, 1),
        )
    assert not DiscretionBenchmark.objects.exists()


def test_the_admin_offers_a_benchmark_draft_for_editing(client, personas):
    from django.urls import reverse

    from sanxiang.accounts.models import Role
    from sanxiang.core.personas import make_user as make

    admin = make(
        "root", agency=personas.agency_a, roles=[Role.ADMIN], name="管理员", is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    assert client.get(reverse("admin:agencies_discretionbenchmark_add")).status_code == 200
    assert client.get(reverse("admin:agencies_discretionbenchmark_changelist")).status_code == 200
    published = services.benchmark_publish(actor=admin, benchmark=draft(personas))
    page = client.get(reverse("admin:agencies_discretionbenchmark_change", args=[published.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
