from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.cases.models import Case, CaseSource
from sanxiang.coercion.models import CoerciveMeasure, MeasureKind, MeasureStage
from sanxiang.documents.models import Document, DocumentType
from sanxiang.evidence import selectors, services
from sanxiang.evidence.models import AVRecord, Evidence, RecordedAct, RetentionClass
from sanxiang.evidence.storage import LocalStore
from sanxiang.evidence.tests.conftest import CASE_NUMBER

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
END = START + datetime.timedelta(minutes=40)


def ingest(
    case: Case, actor: Any, name: str = "执法记录仪.mp4", data: bytes = b"not really a video"
) -> Evidence:
    upload = services.upload_start(case=case, actor=actor, name=name, size=len(data))
    upload = services.upload_append(
        upload=upload, offset=0, source=io.BytesIO(data), length=len(data), actor=actor
    )
    assert upload.evidence is not None
    return upload.evidence


def describe(evidence: Evidence, personas: Any, **changes: Any) -> AVRecord:
    values: dict[str, Any] = {
        "actor": personas.alice,
        "evidence": evidence,
        "act": RecordedAct.SITE_INSPECTION,
        "started_at": START,
        "ended_at": END,
        "collectors": [personas.alice_officer],
        "place": "某化工厂原料仓库",
        "device": "执法记录仪 DSJ-01",
        "proves": "仓库内未设置安全警示标志",
    }
    values.update(changes)
    return services.av_record_describe(**values)


def a_document(case: Case, personas: Any) -> Document:
    doc_type, _created = DocumentType.objects.get_or_create(
        agency=personas.agency_a,
        key="xcjcbl",
        defaults={"title": "现场检查记录", "code": "", "numbered": False},
    )
    return Document.objects.create(
        agency=personas.agency_a,
        case=case,
        type=doc_type,
        drafted_by=personas.alice,
        drafted_at=START,
        updated_at=START,
    )


def test_a_described_video_gets_the_case_number_with_a_serial(
    store: LocalStore, case: Case, personas: Any
) -> None:
    first = describe(ingest(case, personas.alice), personas)
    second = describe(
        ingest(case, personas.alice, "询问.mp4", b"other bytes"), personas, act=RecordedAct.INQUIRY
    )

    assert first.number == f"{CASE_NUMBER}-音像1"
    assert second.number == f"{CASE_NUMBER}-音像2"
    assert list(first.collectors.all()) == [personas.alice_officer]
    assert first.retention == RetentionClass.WITH_CASE_FILE
    events = Event.objects.filter(event_type=EventType.AV_RECORD_DESCRIBED)
    assert [json.loads(e.data)["number"] for e in events.order_by("seq")] == [first.number, second.number]


def test_the_end_must_come_after_the_start(store: LocalStore, case: Case, personas: Any) -> None:
    evidence = ingest(case, personas.alice)

    with pytest.raises(ValidationError) as error:
        describe(evidence, personas, ended_at=START)

    assert "摄录结束时间须晚于开始时间。" in error.value.messages
    assert not AVRecord.objects.exists()


def test_the_act_and_the_collectors_are_required(store: LocalStore, case: Case, personas: Any) -> None:
    evidence = ingest(case, personas.alice)

    with pytest.raises(ValidationError) as error:
        describe(evidence, personas, act="", collectors=[])

    assert "请选择记录事项。" in error.value.messages
    assert "请选择记录人。" in error.value.messages


def test_collectors_must_be_officers_of_the_agency(store: LocalStore, case: Case, personas: Any) -> None:
    evidence = ingest(case, personas.alice)

    with pytest.raises(ValidationError) as error:
        describe(evidence, personas, collectors=[personas.alice_officer, personas.charlie_officer])

    assert any("记录人须为本机关执法人员" in m for m in error.value.messages)
    assert not AVRecord.objects.exists()


def test_linked_documents_must_be_of_the_same_case(store: LocalStore, case: Case, personas: Any) -> None:
    evidence = ingest(case, personas.alice)
    other = Case.objects.create(
        agency=personas.agency_a,
        number="（甲县）应急立〔2026〕2号",
        title="另一案件",
        source=CaseSource.INSPECTION,
        category=personas.category,
        created_by=personas.alice,
    )
    own, foreign = a_document(case, personas), a_document(other, personas)

    with pytest.raises(ValidationError) as error:
        describe(evidence, personas, documents=[own, foreign])
    assert any("关联文书须属于本案" in m for m in error.value.messages)

    record = describe(evidence, personas, documents=[own])
    assert list(record.documents.all()) == [own]


def test_only_audio_and_video_can_be_described(store: LocalStore, case: Case, personas: Any) -> None:
    photo = ingest(case, personas.alice, "现场.jpg")

    with pytest.raises(ValidationError) as error:
        describe(photo, personas)

    assert error.value.messages == ["只有录音、录像可以登记为音像记录。"]


def test_an_officer_of_another_agency_cannot_describe(store: LocalStore, case: Case, personas: Any) -> None:
    evidence = ingest(case, personas.alice)

    with pytest.raises(PermissionDenied):
        describe(evidence, personas, actor=personas.charlie)


def test_interruptions_are_kept_with_their_reasons(store: LocalStore, case: Case, personas: Any) -> None:
    evidence = ingest(case, personas.alice)
    stop = services.Interruption(
        started_at=START + datetime.timedelta(minutes=10),
        ended_at=START + datetime.timedelta(minutes=12),
        reason="电池耗尽，更换电池",
    )

    record = describe(evidence, personas, interruptions=[stop])

    assert [(i.reason, i.ended_at) for i in record.interruptions.all()] == [
        ("电池耗尽，更换电池", stop.ended_at)
    ]
    with pytest.raises(ValidationError) as error:
        describe(
            ingest(case, personas.alice, "b.mp4", b"b"),
            personas,
            interruptions=[services.Interruption(started_at=END + datetime.timedelta(minutes=1), reason="x")],
        )
    assert any("中断时间须在摄录开始与结束时间之间" in m for m in error.value.messages)


def test_a_correction_needs_a_reason_and_keeps_the_earlier_version(
    store: LocalStore, case: Case, personas: Any
) -> None:
    evidence = ingest(case, personas.alice)
    record = describe(evidence, personas)

    with pytest.raises(ValidationError) as error:
        describe(evidence, personas, place="另一地点")
    assert error.value.messages == ["音像记录已登记，更正须写明理由。"]

    corrected = describe(evidence, personas, place="某化工厂二号仓库", reason="地点记错")

    assert corrected.pk == record.pk
    assert corrected.number == record.number
    assert corrected.version == 2
    places = [h.place for h in corrected.history.order_by("history_date", "history_id")]
    assert list(dict.fromkeys(places)) == ["某化工厂原料仓库", "某化工厂二号仓库"]
    data = json.loads(Event.objects.get(event_type=EventType.AV_RECORD_CORRECTED).data)
    assert data["changed"] == ["place"]
    assert data["reason"] == "地点记错"
    assert data["before"]["place"] == "某化工厂原料仓库"


def test_an_archived_case_refuses_corrections(store: LocalStore, case: Case, personas: Any) -> None:
    evidence = ingest(case, personas.alice)
    describe(evidence, personas)
    Case.objects.filter(pk=case.pk).update(stage="archived", archived_on=timezone.localdate())

    with pytest.raises(ValidationError) as error:
        describe(evidence, personas, place="别处", reason="补正")

    assert error.value.messages == ["案件已归档，音像记录不能再登记或更正。"]
    assert AVRecord.objects.get().place == "某化工厂原料仓库"


def _measure(case: Case, personas: Any) -> CoerciveMeasure:
    return CoerciveMeasure.objects.create(
        agency=personas.agency_a,
        case=case,
        kind=MeasureKind.SEAL,
        stage=MeasureStage.IN_FORCE,
        created_by=personas.alice,
    )


def test_records_covering_an_act_are_those_running_at_that_time(
    store: LocalStore, case: Case, personas: Any
) -> None:
    measure = _measure(case, personas)
    seal = describe(
        ingest(case, personas.alice), personas, act=RecordedAct.SEAL_SEIZE, coercive_measure=measure
    )
    describe(ingest(case, personas.alice, "b.mp4", b"b"), personas, act=RecordedAct.INQUIRY)
    middle = START + datetime.timedelta(minutes=20)

    assert list(selectors.av_records_covering(case, RecordedAct.SEAL_SEIZE, middle)) == [seal]
    assert list(selectors.av_records_covering(case, RecordedAct.SEAL_SEIZE, START)) == [seal]
    assert list(selectors.av_records_covering(case, RecordedAct.SEAL_SEIZE, END)) == [seal]
    assert not selectors.av_records_covering(
        case, RecordedAct.SEAL_SEIZE, END + datetime.timedelta(seconds=1)
    )
    assert list(selectors.av_records_covering(case, RecordedAct.SEAL_SEIZE, middle, measure=measure)) == [
        seal
    ]
    other = _measure(case, personas)
    assert not selectors.av_records_covering(case, RecordedAct.SEAL_SEIZE, middle, measure=other)


def test_a_measure_can_only_be_tied_to_a_seal_or_seizure_record(
    store: LocalStore, case: Case, personas: Any
) -> None:
    evidence = ingest(case, personas.alice)

    with pytest.raises(ValidationError) as error:
        describe(evidence, personas, act=RecordedAct.INQUIRY, coercive_measure=_measure(case, personas))

    assert any("查封扣押" in m for m in error.value.messages)
