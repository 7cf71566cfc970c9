"""事后公开 on the portal: list, search, filters, detail, tombstones, feed, downloads and figures."""

from __future__ import annotations

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.agencies.models import EnforcementCategory
from sanxiang.disclosure import published
from sanxiang.disclosure.models import (
    Publication,
    PublicationKind,
    PublicationStatus,
    PublicationVersion,
    RevocationGround,
    Withdrawal,
)
from sanxiang.disclosure.tests.published_factories import make_published

pytestmark = pytest.mark.django_db


def list_page(client: Any, **query: Any) -> str:
    response = client.get(reverse("disclosure:published"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_published_decisions_newest_first_and_never_drafts_withdrawn_or_expired(
    client, personas
):
    agency = personas.agency_a
    older = make_published(agency, "舒城县宏达化工有限公司", decided_on=datetime.date(2026, 2, 2))
    newer = make_published(agency, "舒城县兴旺烟花爆竹经营部", decided_on=datetime.date(2026, 3, 2))
    make_published(agency, "舒城县草稿矿业有限公司", status=PublicationStatus.DRAFT)
    make_published(agency, "舒城县撤回建材有限公司", status=PublicationStatus.WITHDRAWN)
    make_published(agency, "舒城县期满机械厂", status=PublicationStatus.EXPIRED)
    make_published(agency, "舒城县不予公示商店", status=PublicationStatus.NOT_PUBLISHED)
    page = list_page(client)
    assert page.index(newer.title) < page.index(older.title)
    for hidden in ["草稿矿业", "撤回建材", "期满机械厂", "不予公示商店"]:
        assert hidden not in page


def test_a_keyword_searches_the_published_text_and_never_the_source(client, personas):
    make_published(personas.agency_a, "舒城县宏达化工有限公司", fact="安排某某等无证人员从事特种作业")
    make_published(personas.agency_a, "舒城县兴旺烟花爆竹经营部")
    page = list_page(client, q="特种作业")
    assert "宏达化工" in page and "兴旺烟花" not in page
    assert "宏达化工" not in list_page(client, q="王建国")  # the source's name is not searchable


def test_a_one_or_two_character_query_matches_the_start_of_the_title_or_the_party(personas):
    make_published(personas.agency_a, "宏达化工有限公司")
    make_published(personas.agency_a, "舒城县兴旺化工厂")
    assert [p.subject for p in published.search(published.Filters(q="宏达"))] == ["宏达化工有限公司"]
    assert list(published.search(published.Filters(q="化工"))) == []
    assert len(published.search(published.Filters(q="化工有限"))) == 1
    assert len(published.search(published.Filters(q="舒"))) == 1


def test_filters_narrow_by_agency_category_kind_and_date_range(client, personas):
    fireworks = EnforcementCategory.objects.create(code="YHBZ", name="烟花爆竹安全监管")
    a = make_published(personas.agency_a, "甲化工有限公司", decided_on=datetime.date(2026, 1, 5))
    b = make_published(personas.agency_b, "乙化工有限公司", decided_on=datetime.date(2026, 2, 5))
    c = make_published(
        personas.agency_a,
        "丙烟花经营部",
        kind=PublicationKind.INSPECTION,
        decided_on=datetime.date(2026, 3, 5),
    )
    Publication.objects.filter(pk=c.pk).update(category=fireworks)

    def found(**query: Any) -> set[int]:
        return {p.pk for p in published.search(published.Filters.from_query(query))}

    assert found(agency=str(personas.agency_a.pk)) == {a.pk, c.pk}
    assert found(kind="inspection") == {c.pk}
    assert found(category=str(fireworks.pk)) == {c.pk}
    assert found(start="2026-02-01", end="2026-02-28") == {b.pk}
    assert found(agency=str(personas.agency_a.pk), q="化工有限") == {a.pk}
    page = list_page(client, agency=personas.agency_b.pk)
    assert "乙化工" in page and "甲化工" not in page


def test_bad_filter_values_are_ignored_rather_than_failing(client, personas):
    make_published(personas.agency_a, "甲化工有限公司")
    page = list_page(client, agency="x", kind="agency_info", start="2026-13-01", page="-3", category="9" * 20)
    assert "甲化工有限公司" in page


def test_pages_follow_each_other_with_the_filters_kept(client, personas, monkeypatch):
    from sanxiang.disclosure import views_published

    monkeypatch.setattr(views_published, "PAGE_SIZE", 2)
    for day in range(1, 6):
        make_published(personas.agency_a, f"第{day}号化工有限公司", decided_on=datetime.date(2026, 3, day))
    first = list_page(client, q="化工有限")
    assert "第5号" in first and "第4号" in first and "第3号" not in first
    assert 'rel="next"' in first and "q=%E5%8C%96%E5%B7%A5%E6%9C%89%E9%99%90" in first
    third = list_page(client, q="化工有限", page=3)
    assert "第1号" in third and 'rel="next"' not in third and 'rel="prev"' in third


def test_the_detail_page_shows_the_published_text_and_its_corrections(client, personas):
    publication = make_published(personas.agency_a, "舒城县宏达化工有限公司")
    PublicationVersion.objects.create(
        publication=publication,
        number=2,
        source_text="更正后的原文",
        source_sha256="1" * 64,
        text="舒城县宏达化工有限公司未按规定对安全设备进行维护（更正后）。",
        correction_note="更正违法事实表述",
        published_at=datetime.datetime(2026, 3, 9, 9, tzinfo=datetime.UTC),
    )
    page = client.get(reverse("disclosure:published_detail", args=[publication.pk])).content.decode()
    assert "（更正后）" in page and "更正违法事实表述" in page and "第2版" in page
    assert "查看第1版原公示内容" in page
    assert "王建国" not in page  # the source is never shown


def test_a_withdrawn_item_shows_its_notice_with_the_reason_and_no_text(client, personas):
    publication = make_published(
        personas.agency_a, "舒城县宏达化工有限公司", status=PublicationStatus.WITHDRAWN
    )
    Withdrawal.objects.create(
        publication=publication,
        ground=RevocationGround.REVOKED,
        reason="该决定已被舒城县人民政府行政复议决定撤销",
        withdrawn_at=timezone.now(),
    )
    page = client.get(reverse("disclosure:published_detail", args=[publication.pk])).content.decode()
    assert "该信息已撤回" in page and "行政复议决定撤销" in page and "决定被撤销" in page
    assert "未对安全设备" not in page


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.EXPIRED, "not_published"])
def test_drafts_expired_and_declined_items_have_no_page(client, personas, status):
    publication = make_published(personas.agency_a, "舒城县宏达化工有限公司", status=status)
    response = client.get(reverse("disclosure:published_detail", args=[publication.pk]))
    assert response.status_code == 404


def test_the_atom_feed_lists_the_published_items(client, personas):
    shown = make_published(personas.agency_a, "舒城县宏达化工有限公司")
    make_published(personas.agency_a, "舒城县草稿矿业有限公司", status=PublicationStatus.DRAFT)
    response = client.get(reverse("disclosure:published_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}title") for e in entries] == [shown.title]
    link = entries[0].find(f"{atom}link")
    assert link is not None and link.get("href", "").endswith(f"/published/{shown.pk}/")


def test_the_csv_and_json_downloads_stream_everything_published_and_nothing_else(client, personas):
    first = make_published(personas.agency_a, "舒城县宏达化工有限公司")
    second = make_published(personas.agency_b, "霍山县兴旺烟花爆竹经营部")
    make_published(personas.agency_a, "舒城县撤回建材有限公司", status=PublicationStatus.WITHDRAWN)
    response = client.get(reverse("disclosure:published_csv"))
    assert response.streaming and "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert {r["行政相对人"] for r in rows} == {first.subject, second.subject}
    assert all("王建国" not in r["公示文本"] and "某某" in r["公示文本"] for r in rows)
    response = client.get(reverse("disclosure:published_json"))
    assert response.streaming
    items = json.loads(b"".join(response.streaming_content))
    assert {i["id"] for i in items} == {first.pk, second.pk}
    assert {i["kind"] for i in items} == {"行政处罚决定"} and all(i["version"] == 1 for i in items)


def test_the_list_is_cached_and_a_publish_or_withdrawal_refreshes_it(
    client, personas, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_published(personas.agency_a, "舒城县宏达化工有限公司")
    assert "宏达化工" in list_page(client)
    with django_assert_num_queries(0):  # answered from the cache (the version counter is cached too)
        list_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        make_published(personas.agency_a, "舒城县兴旺烟花爆竹经营部")
    assert "兴旺烟花" in list_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        Withdrawal.objects.create(
            publication=publication,
            ground=RevocationGround.REVOKED,
            reason="决定被撤销",
            withdrawn_at=timezone.now(),
        )
        Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.WITHDRAWN)
    assert "宏达化工" not in list_page(client)


def test_nothing_changes_on_the_portal_before_the_transaction_commits(client, personas):
    version = published.cache_version()
    make_published(personas.agency_a, "舒城县宏达化工有限公司")  # the test's transaction never commits
    assert published.cache_version() == version


def test_the_yearly_statistics_count_kinds_fines_and_timeliness(client, personas):
    agency = personas.agency_a
    make_published(agency, "甲化工有限公司", fine_yuan=20000)
    make_published(agency, "乙化工有限公司", fine_yuan=5000, published_on=datetime.date(2026, 3, 20))  # late
    make_published(agency, "丙矿业有限公司", kind=PublicationKind.INSPECTION, fine_yuan=0)
    make_published(agency, "丁商店", decided_on=datetime.date(2025, 6, 1))  # another year
    make_published(agency, "戊商店", status=PublicationStatus.DRAFT)
    response = client.get(reverse("disclosure:statistics", args=[agency.pk]), {"year": 2026})
    page, context = response.content.decode(), response.context
    assert context["count"] == 3 and context["fines_yuan"] == 25000
    assert context["record"].published_on_time == 2 and context["on_time_rate"] == "66.7%"
    assert {k["label"]: k["count"] for k in context["kinds"]}["行政检查结果"] == 1
    assert "2027年1月31日前公开" in page


def test_the_transparency_page_lists_corrections_withdrawals_and_on_time_rates(client, personas):
    corrected = make_published(personas.agency_a, "甲化工有限公司")
    PublicationVersion.objects.create(
        publication=corrected,
        number=2,
        source_text="原文",
        source_sha256="1" * 64,
        text="更正后的公示文本",
        correction_note="更正罚款金额表述",
        published_at=timezone.now(),
    )
    withdrawn = make_published(personas.agency_b, "乙烟花经营部", status=PublicationStatus.WITHDRAWN)
    Withdrawal.objects.create(
        publication=withdrawn,
        ground=RevocationGround.ANNULLED,
        reason="该决定经行政诉讼被确认无效",
        withdrawn_at=timezone.now(),
        on_time=False,
    )
    page = client.get(reverse("disclosure:transparency"), {"year": 2026}).content.decode()
    assert "更正罚款金额表述" in page and "确认无效" in page and "逾期撤回" in page
    assert personas.agency_a.name in page and "100.0%" in page


def test_a_decision_published_and_withdrawn_through_the_services_shows_and_leaves_at_once(
    client, personas, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    from sanxiang.core.personas import make_user
    from sanxiang.disclosure import services
    from sanxiang.documents.tests.signing_factories import DECISION_FIELDS, setting

    settings.MEDIA_ROOT = tmp_path / "media"
    s = setting(personas, monkeypatch)
    discloser = make_user("disc", agency=personas.agency_a, roles=["discloser"], name="刘芳菲")
    decision = s.issue(s.case_at(), "penalty_decision", **DECISION_FIELDS)
    publication = Publication.objects.get(source_document=decision)
    assert publication.title not in list_page(client)  # a draft: cached as it is
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_publish(publication=publication, actor=discloser)
    publication.refresh_from_db()
    assert publication.category_id == personas.category.pk
    assert publication.search_text and "91341523MA2T00000B" in publication.search_text
    assert publication.title in list_page(client)
    assert publication.title in list_page(client, q="91341523ma2t")
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(publication=publication, actor=discloser, reason="该决定已被依法撤销")
    assert publication.title not in list_page(client)
    page = client.get(reverse("disclosure:published_detail", args=[publication.pk])).content.decode()
    assert "该决定已被依法撤销" in page


def test_a_cached_page_carries_each_visitors_own_csrf_token(personas):
    from django.test import Client

    make_published(personas.agency_a, "舒城县宏达化工有限公司")
    first, second = Client(), Client()
    pages = [c.get(reverse("disclosure:published")) for c in (first, second)]
    tokens = [c.cookies["csrftoken"].value for c in (first, second)]
    assert tokens[0] != tokens[1]
    for page in pages:
        body = page.content.decode()
        assert "csrf-placeholder" not in body and 'name="csrfmiddlewaretoken"' in body
    csrf_checked = Client(enforce_csrf_checks=True)
    body = csrf_checked.get(reverse("disclosure:published")).content.decode()
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = csrf_checked.post(
        reverse("set_language"), {"language": "en", "next": "/published/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302  # the language switcher of a cached page works


def test_with_a_shared_cache_each_process_keeps_its_pages_and_sees_a_change_within_a_second(
    client, personas, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    monkeypatch.setattr(published, "_pages", {})
    monkeypatch.setattr(published, "_seen", [0, float("-inf")])
    make_published(personas.agency_a, "舒城县宏达化工有限公司")
    assert "宏达化工" in list_page(client)
    # Another process publishes: the shared version moves, this process keeps its page for up to a second.
    make_published(personas.agency_a, "舒城县兴旺烟花爆竹经营部")
    from django.core.cache import cache

    cache.incr(published.CACHE_VERSION_KEY)
    monkeypatch.setattr(published, "_seen", [published._seen[0], float("inf")])  # read just now
    assert "兴旺烟花" not in list_page(client)
    monkeypatch.setattr(published, "_seen", [published._seen[0], float("-inf")])  # a second later
    assert "兴旺烟花" in list_page(client)
    # A change made by this process is seen at once.
    with django_capture_on_commit_callbacks(execute=True):
        make_published(personas.agency_a, "舒城县金鑫矿业有限公司")
    assert "金鑫矿业" in list_page(client)


@pytest.mark.parametrize("size", [1, 2, 5])
def test_a_keyword_page_is_the_same_whichever_way_the_database_finds_it(personas, size):
    for day in range(1, 5):
        make_published(personas.agency_a, f"第{day}号化工有限公司", decided_on=datetime.date(2026, 3, day))
    make_published(personas.agency_b, "第9号化工有限公司", decided_on=datetime.date(2026, 3, 9))
    filters = published.Filters(q="化工有限", agency=personas.agency_a.pk)
    expected = list(published.search(filters))
    for number in (1, 2, 3):
        rows, more = published.search_page(filters, number, size)
        assert rows == expected[(number - 1) * size : number * size]
        assert more == (len(expected) > number * size)
