"""Publications: drafted when a decision is issued, redacted, published, corrected, withdrawn, expired."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.audit.models import Event
from sanxiang.core.personas import make_user
from sanxiang.disclosure import selectors, services
from sanxiang.disclosure.models import (
    DisclosureSettings,
    Publication,
    PublicationKind,
    PublicationStatus,
    PublicationVersion,
    RedactionAction,
    RevocationGround,
)
from sanxiang.disclosure.redaction import Kind
from sanxiang.documents import services as document_services
from sanxiang.documents.tests.signing_factories import DECISION_FIELDS, TODAY, Setting, setting
from sanxiang.parties.tests.factories import make_person
from sanxiang.worklist.models import Clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def s(personas: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    return setting(personas, monkeypatch)


@pytest.fixture
def discloser(personas: Any) -> Any:
    return make_user("disc", agency=personas.agency_a, roles=["discloser"], name="刘芳菲")


def _decided(s: Setting, **fields: Any) -> Publication:
    case = s.case_at(**fields)
    decision = s.issue(case, "penalty_decision", **DECISION_FIELDS)
    return Publication.objects.get(source_document=decision)


def _draft(publication: Publication) -> PublicationVersion:
    version = publication.latest_version()
    assert version is not None
    return version


def _events(publication: Publication) -> list[int]:
    return list(
        Event.objects.filter(subject_type="disclosure.publication", subject_id=str(publication.pk))
        .order_by("seq")
        .values_list("event_type", flat=True)
    )


def test_issuing_a_penalty_decision_drafts_its_redacted_publication_due_in_7_working_days(s):
    publication = _decided(s)
    assert publication.kind == PublicationKind.PENALTY
    assert publication.status == PublicationStatus.DRAFT
    assert publication.decided_on == TODAY
    assert publication.due_on == datetime.date(2026, 3, 11)  # 7 working days after Monday 2 March
    version = _draft(publication)
    assert version.number == 1
    assert "舒城县某某化工有限公司" in version.text and "91341523MA2T00000B" in version.text
    assert "李四" in version.source_text and "李四" not in version.text and "李某某" in version.text
    assert "0564-8621234" not in version.text
    assert publication.number and publication.number in version.text
    assert _events(publication) == [401]


def test_the_draft_is_on_the_disclosers_my_work_and_on_nobody_elses(s, discloser):
    publication = _decided(s)
    clock = Clock.objects.get(matter=publication.matter)
    assert clock.due == datetime.date(2026, 3, 11)
    assert [a.role for a in clock.audience.all()] == ["discloser"]


def test_a_person_partys_name_id_address_and_phone_are_masked(s):
    person = s.w.person
    publication = _decided(s, party=person)
    text = _draft(publication).text
    for item in ("张三", "341523198001010014", "梅河路1号", "13800001234"):
        assert item not in text
    assert "张某某" in text and "341523********0014" in text
    assert publication.subject == "张某某"


def test_a_minor_party_means_the_decision_is_not_published(s):
    minor = make_person(
        actor=s.w.alice, agency=s.w.p.agency_a, name="王小明", resident_id="341523201006150029"
    )
    publication = _decided(s, party=minor)
    assert publication.minor and publication.status == PublicationStatus.NOT_PUBLISHED
    assert not Clock.objects.filter(matter=publication.matter).exists()


def test_publishing_starts_the_period_by_the_agency_policy(s, discloser):
    publication = _decided(s)
    version = services.publication_publish(publication=publication, actor=discloser)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert version.published_by == discloser
    # a fine of 10,000 元 is a small fine by default: 3 months
    assert publication.ends_on == datetime.date(2026, 6, 2)
    assert not Clock.objects.filter(matter=publication.matter).exists()
    assert _events(publication) == [401, 403]
    assert selectors.public_publications().filter(pk=publication.pk).exists()


def test_a_larger_fine_stays_published_for_the_long_period(s, discloser):
    DisclosureSettings.objects.create(agency=s.w.p.agency_a, small_fine_fen=500_000, long_period_months=36)
    publication = _decided(s)
    services.publication_publish(publication=publication, actor=discloser)
    publication.refresh_from_db()
    assert publication.ends_on == datetime.date(2029, 3, 2)


def test_only_the_agencys_discloser_may_publish(s, discloser, personas):
    publication = _decided(s)
    for user in (s.w.alice, s.w.leader, make_user("disc_b", agency=personas.agency_b, roles=["discloser"])):
        with pytest.raises(PermissionDenied):
            services.publication_publish(publication=publication, actor=user)
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.DRAFT


def test_the_post_scan_blocks_a_text_that_still_holds_an_id_number(s, discloser):
    publication = _decided(s)
    version = _draft(publication)
    # A text that did not come through the redaction (e.g. written in by hand): the post-scan catches it.
    version.text += "\n当事人联系人身份证号码341523198001010014。"
    version.save(update_fields=["text"])
    with pytest.raises(ValidationError) as error:
        services.publication_publish(publication=publication, actor=discloser)
    assert "公民身份号码“341523198001010014”" in error.value.messages[0]
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.DRAFT


def test_a_discloser_masks_a_phrase_and_keeps_another_each_with_a_reason(s, discloser):
    publication = _decided(s)
    services.publication_redaction_change(
        publication=publication,
        actor=discloser,
        action=RedactionAction.ADD,
        phrase="舒城县农村商业银行",
        kind=Kind.OTHER,
        reason="涉及商业秘密",
    )
    text = _draft(publication).text
    assert "舒城县农村商业银行" not in text
    services.publication_redaction_change(
        publication=publication,
        actor=discloser,
        action=RedactionAction.REMOVE,
        phrase="舒城县农村商业银行",
        reason="系罚没款代收银行，应当公开",
    )
    assert "舒城县农村商业银行" in _draft(publication).text
    assert _events(publication) == [401, 402, 402]
    data = Event.objects.filter(event_type=402).values_list("data", flat=True)
    assert data and all("舒城县" not in str(d) for d in data)


def test_an_id_number_cannot_be_unmasked_and_a_change_needs_a_reason(s, discloser):
    publication = _decided(s, party=s.w.person)
    with pytest.raises(ValidationError, match="公民身份号码不得公开"):
        services.publication_redaction_change(
            publication=publication,
            actor=discloser,
            action=RedactionAction.REMOVE,
            phrase="341523198001010014",
            reason="当事人同意",
        )
    with pytest.raises(ValidationError, match="理由"):
        services.publication_redaction_change(
            publication=publication, actor=discloser, action=RedactionAction.ADD, phrase="化工", reason=" "
        )
    assert publication.redaction_changes.count() == 0


def test_a_revoked_decision_is_withdrawn_within_3_working_days_with_a_public_reason(s, discloser):
    publication = _decided(s)
    services.publication_publish(publication=publication, actor=discloser)
    s.today.set(datetime.date(2026, 4, 3))  # Friday before 清明 (4–6 April off)
    services.publication_record_revocation(
        publication=publication,
        actor=discloser,
        ground=RevocationGround.REVOKED,
        revoked_on=datetime.date(2026, 4, 3),
    )
    publication.refresh_from_db()
    assert publication.withdrawal_due_on == datetime.date(2026, 4, 9)
    assert Clock.objects.get(matter=publication.matter).due == datetime.date(2026, 4, 9)
    withdrawal = services.publication_withdraw(
        publication=publication, actor=discloser, reason="该决定已被舒城县人民政府行政复议决定撤销"
    )
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN and withdrawal.on_time
    assert withdrawal.ground == RevocationGround.REVOKED
    assert selectors.public_publication_get(publication.pk).withdrawal.reason.startswith("该决定")
    assert not selectors.public_publications().filter(pk=publication.pk).exists()
    assert not Clock.objects.filter(matter=publication.matter).exists()
    assert _events(publication) == [401, 403, 405, 406]


def test_a_replaced_decision_gives_a_new_version_published_with_a_correction_note(s, discloser):
    publication = _decided(s)
    services.publication_publish(publication=publication, actor=discloser)
    old = publication.source_document
    assert old is not None
    replacement = document_services.document_void_and_replace(
        actor=s.w.alice, document=old, reason="文书事实表述有误"
    )
    assert replacement is not None
    replacement.fields = {**replacement.fields, "facts": "经查，该公司未按规定对安全设备进行维护。"}
    replacement.save(update_fields=["fields"])
    document_services.document_issue(actor=s.w.alice, document=replacement)
    publication.refresh_from_db()
    assert publication.source_document_id == replacement.pk
    assert publication.versions.count() == 2
    with pytest.raises(ValidationError, match="更正说明"):
        services.publication_publish(publication=publication, actor=discloser)
    services.publication_publish(publication=publication, actor=discloser, correction_note="更正违法事实表述")
    versions = list(selectors.public_versions(publication))
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].correction_note == "更正违法事实表述"
    assert "维护。" in versions[0].text and "维护。" not in versions[1].text
    assert _events(publication) == [401, 403, 404, 403]


def test_publish_due_expires_ended_items_and_flags_overdue_drafts_once(s, discloser):
    published = _decided(s)
    services.publication_publish(publication=published, actor=discloser)
    draft = _decided(s, party=s.w.person)
    counts = services.publications_run_due(today=datetime.date(2026, 3, 12))
    assert (counts.expired, counts.overdue_flagged, counts.overdue) == (0, 1, 1)
    again = services.publications_run_due(today=datetime.date(2026, 3, 12))
    assert (again.expired, again.overdue_flagged, again.overdue) == (0, 0, 1)
    later = services.publications_run_due(today=datetime.date(2026, 6, 3))
    assert later.expired == 1
    assert Publication.objects.get(pk=published.pk).status == PublicationStatus.EXPIRED
    assert Publication.objects.get(pk=draft.pk).overdue_flagged_at is not None
    assert _events(Publication.objects.get(pk=draft.pk)) == [401, 409]


def test_the_discloser_queue_puts_overdue_drafts_first(s, discloser):
    first = _decided(s)
    s.today.set(datetime.date(2026, 3, 20))
    second = _decided(s, party=s.w.person)
    Publication.objects.filter(pk=first.pk).update(due_on=datetime.date(2026, 3, 1))
    assert list(selectors.publication_queue_for(discloser)) == [first, second]
    assert list(selectors.publication_queue_for(s.w.p.charlie)) == []


def test_the_publish_due_command_prints_its_counts_and_is_safe_to_run_twice(s):
    from io import StringIO

    from django.core.management import call_command

    draft = _decided(s)
    Publication.objects.filter(pk=draft.pk).update(due_on=datetime.date(2026, 1, 5))
    out = StringIO()
    call_command("publish_due", stdout=out)
    assert "新标记逾期未公示 1 条" in out.getvalue()
    out = StringIO()
    call_command("publish_due", stdout=out)
    assert "新标记逾期未公示 0 条（逾期未公示共 1 条）" in out.getvalue()


def test_agency_information_is_written_redacted_published_and_corrected_by_a_new_version(s, discloser):
    publication = services.publication_draft_for_text(
        agency=s.w.p.agency_a,
        actor=discloser,
        kind=PublicationKind.AGENCY_INFO,
        title="2026年第二季度双随机抽查结果",
        text="抽查舒城县某某化工有限公司，现场负责人张三陪同，联系电话13800001234，未发现问题。",
        decided_on=datetime.date(2026, 2, 27),
        persons=["张三"],
    )
    assert publication.due_on == datetime.date(2026, 3, 26)  # 20 working days, 28 February worked
    assert "张某某" in _draft(publication).text and "13800001234" not in _draft(publication).text
    services.publication_publish(publication=publication, actor=discloser)
    services.publication_correct(
        publication=publication,
        actor=discloser,
        text="抽查舒城县某某化工有限公司，现场负责人张三陪同，发现1处一般隐患，已当场整改。",
    )
    services.publication_publish(
        publication=publication, actor=discloser, correction_note="补充检查发现的隐患"
    )
    assert [v.correction_note for v in selectors.public_versions(publication)] == ["补充检查发现的隐患", ""]
    assert _events(publication) == [401, 403, 404, 403]


def test_only_a_discloser_writes_a_publication_of_the_agency(s):
    with pytest.raises(PermissionDenied):
        services.publication_draft_for_text(
            agency=s.w.p.agency_a,
            actor=s.w.alice,
            kind=PublicationKind.AGENCY_INFO,
            title="标题",
            text="内容",
            decided_on=TODAY,
        )
    assert not Publication.objects.exists()


def test_timeliness_counts_on_time_publications_corrections_and_withdrawals(s, discloser):
    on_time = _decided(s)
    services.publication_publish(publication=on_time, actor=discloser)
    late = _decided(s, party=s.w.person)
    s.today.set(datetime.date(2026, 3, 20))  # after the 7 working days
    services.publication_publish(publication=late, actor=discloser)
    services.publication_record_revocation(
        publication=late,
        actor=discloser,
        ground=RevocationGround.ANNULLED,
        revoked_on=datetime.date(2026, 3, 20),
    )
    services.publication_withdraw(publication=late, actor=discloser, reason="决定被确认无效")
    record = selectors.timeliness(year=2026, agency_id=s.w.p.agency_a.pk)
    assert (record.published, record.published_on_time, record.on_time_rate) == (2, 1, 0.5)
    assert (record.withdrawn, record.withdrawn_on_time, record.corrections) == (1, 1, 0)
    assert selectors.timeliness(year=2026, agency_id=s.w.p.agency_b.pk).published == 0


def test_the_agencys_officers_stay_named_in_a_text_the_discloser_writes(s, discloser):
    publication = services.publication_draft_for_text(
        agency=s.w.p.agency_a,
        actor=discloser,
        kind=PublicationKind.INSPECTION,
        title="检查结果",
        text="执法人员艾丽、戴夫于当日检查，被检查单位安全员柳青在场。",
        decided_on=TODAY,
    )
    assert _draft(publication).text.strip() == "执法人员艾丽、戴夫于当日检查，被检查单位安全员柳某某在场。"


def test_a_draft_of_a_voided_decision_is_not_published_until_its_replacement_is_issued(s, discloser):
    publication = _decided(s)
    old = publication.source_document
    assert old is not None
    replacement = document_services.document_void_and_replace(
        actor=s.w.alice, document=old, reason="当事人名称有误"
    )
    assert replacement is not None
    with pytest.raises(ValidationError, match="来源文书已作废"):
        services.publication_publish(publication=publication, actor=discloser)
    document_services.document_issue(actor=s.w.alice, document=replacement)
    publication.refresh_from_db()
    assert [v.number for v in publication.versions.all()] == [1, 2]
    services.publication_publish(publication=publication, actor=discloser)
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.PUBLISHED
    assert [v.number for v in selectors.public_versions(publication)] == [2]


def test_the_post_scan_reads_the_title_of_a_written_publication_too(s, discloser):
    publication = services.publication_draft_for_text(
        agency=s.w.p.agency_a,
        actor=discloser,
        kind=PublicationKind.AGENCY_INFO,
        title="关于13856412345举报事项的处理结果",
        text="经核查，举报事项不属实。",
        decided_on=TODAY,
    )
    with pytest.raises(ValidationError, match="电话号码“13856412345”"):
        services.publication_publish(publication=publication, actor=discloser)
