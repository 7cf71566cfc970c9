"""The catalog as data: the shipped set covers domain.md §3.3, loads idempotently and versions used types."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sanxiang.audit.events import EventType
from sanxiang.audit.models import Event
from sanxiang.documents import doctypes, services
from sanxiang.documents.models import Document, DocumentType, FieldKind
from sanxiang.documents.testing import issue

# domain.md §3.3: the 2016 set (rows 0–48; 31–32 and 33–34 are one form each for 单位 and 个人), 调查终结报告,
# and the types added since 2021.
SECTION_3_3 = [
    ("立案审批表", "应急立"),
    ("现场检查方案", "应急检查"),
    ("现场检查记录", "应急检记"),
    ("现场处理措施决定书", "应急现决"),
    ("责令限期整改指令书", "应急责改"),
    ("整改复查意见书", "应急复查"),
    ("行政强制审批表", "应急强审"),
    ("查封扣押决定书", "应急查扣"),
    ("查封扣押（场所、设施、财物）清单", ""),
    ("延长查封扣押期限决定书", "应急查扣延期"),
    ("查封扣押处理决定书", "应急查扣处"),
    ("停止供电（供应民用爆炸物品）通知书", "应急停供通"),
    ("停止供电（供应民用爆炸物品）决定书", "应急停供决"),
    ("恢复供电（供应民用爆炸物品）通知书", "应急恢复通"),
    ("询问通知书", "应急询"),
    ("询问笔录", ""),
    ("勘验笔录", "应急勘"),
    ("抽样取证凭证", "应急抽"),
    ("先行登记保存证据审批表", "应急先保审"),
    ("先行登记保存证据通知书", "应急先保通"),
    ("先行登记保存证据处理审批表", "应急先保处审"),
    ("先行登记保存证据处理决定书", "应急先保处"),
    ("鉴定委托书", "应急鉴"),
    ("行政处罚告知书", "应急罚告"),
    ("当事人陈述申辩笔录", ""),
    ("行政处罚听证告知书", "应急听告"),
    ("行政处罚听证会通知书", "应急听通"),
    ("听证笔录", ""),
    ("听证会报告书", "应急听报"),
    ("案件处理呈批表", "应急处呈"),
    ("行政处罚集体讨论记录", "应急罚集"),
    ("行政（当场）处罚决定书", "应急罚当"),
    ("行政处罚决定书", "应急罚"),
    ("缴纳罚款催告书", "应急催"),
    ("加处罚款决定书", "应急加罚"),
    ("延期（分期）缴纳罚款审批表", "应急缴审"),
    ("延期（分期）缴纳罚款批准书", "应急缴批"),
    ("文书送达回执", "应急回"),
    ("行政强制执行事先催告书", "应急执行催告"),
    ("强制执行申请书", "应急强执"),
    ("案件移送审批表", "应急移审"),
    ("案件移送书", "应急移"),
    ("案件延期审批表", "应急案延"),
    ("结案审批表", "应急结"),
    ("案卷（首页）", "应急案"),
    ("卷内目录", ""),
    ("先行登记保存证据清单", ""),
    ("调查终结报告", "应急终报"),
    ("重大执法决定法制审核意见书", "应急法审"),
    ("电子送达地址确认书", "应急电送"),
    ("不予行政处罚决定书", "应急不罚"),
]
FULL_CASE_TYPES = [
    "filing_approval",
    "inquiry_notice",
    "inquiry_record",
    "investigation_report",
    "case_review_form",
    "penalty_notice",
    "hearing_notice",
    "hearing_meeting_notice",
    "hearing_record",
    "hearing_report",
    "statement_record",
    "collective_discussion_record",
    "legal_review_opinion",
    "penalty_decision",
    "no_penalty_decision",
    "delivery_receipt",
    "electronic_delivery_consent",
    "fine_reminder",
    "late_fee_decision",
    "closing_approval",
    "inspection_record",
    "rectification_order",
    "recheck_opinion",
    "on_site_measure_decision",
    "seizure_decision",
    "seizure_list",
    "seizure_extension_decision",
    "seizure_handling_decision",
    "preservation_notice",
]


def _national() -> dict[str, DocumentType]:
    return {t.key: t for t in DocumentType.objects.filter(agency__isnull=True, current=True)}


def test_the_migration_seeds_every_type_of_the_standard_set_with_its_code(db: None) -> None:
    by_title = {t.title: t for t in _national().values()}
    for title, code in SECTION_3_3:
        assert title in by_title, title
        assert by_title[title].code == code, title
        assert by_title[title].numbered == bool(code), title
    assert len(by_title) == len(SECTION_3_3)


def test_codes_not_seen_in_use_are_marked_inferred_or_local(db: None) -> None:
    types = _national()
    assert types["penalty_decision"].code_source == "seen"
    assert types["seizure_decision"].code_source == "inferred"
    for key in ("legal_review_opinion", "electronic_delivery_consent", "no_penalty_decision"):
        assert types[key].code_source == "local"
    assert types["inquiry_record"].code == "" and not types["inquiry_record"].numbered


def test_the_documents_of_a_full_case_have_real_field_lists(db: None) -> None:
    types = _national()
    for key in FULL_CASE_TYPES:
        specs = types[key].fields
        assert len(specs) >= 4, key
        assert all(s["kind"] in FieldKind.values for s in specs), key
        assert any(s.get("required") for s in specs), key


def test_the_decision_names_the_art59_rule_and_the_party_receives_it(db: None) -> None:
    decision = _national()["penalty_decision"]
    assert decision.rules == ["art59"]
    assert decision.party_receives
    assert {"party", "facts", "evidence", "basis", "penalties", "performance", "remedies"} <= {
        s["name"] for s in decision.fields
    }
    remedies = decision.spec("remedies")
    assert remedies is not None and "六个月" in remedies["default"]


def _catalog(*types: dict[str, Any]) -> dict[str, Any]:
    return {"catalog": "test", "types": list(types)}


def _entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": "safety_talk_record",
        "title": "安全约谈记录",
        "code": "应急约谈",
        "code_source": "local",
        "stages": ["investigation"],
        "signers": ["officer", "party"],
        "fields": [
            {"name": "party", "label": "当事人", "kind": "party", "required": True},
            {"name": "content", "label": "约谈内容", "kind": "textarea", "required": True},
        ],
    }
    entry.update(overrides)
    return entry


def test_an_agency_adds_its_own_type_and_loading_twice_changes_nothing(personas: Any) -> None:
    agency = personas.agency_a
    first = services.document_catalog_load(actor=personas.alice, data=_catalog(_entry()), agency=agency)
    second = services.document_catalog_load(actor=personas.alice, data=_catalog(_entry()), agency=agency)
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert doctypes.type_for(agency, "safety_talk_record") is not None
    assert doctypes.type_for(personas.agency_b, "safety_talk_record") is None
    events = Event.objects.filter(event_type=EventType.DOCUMENT_CATALOG_LOADED)
    assert events.count() == 2


def test_an_agency_type_takes_the_place_of_the_national_one_for_that_agency_only(personas: Any) -> None:
    national = _national()["inquiry_notice"]
    own = _entry(key="inquiry_notice", title="询问通知书（舒城式样）", code="应急询")
    services.document_catalog_load(actor=personas.alice, data=_catalog(own), agency=personas.agency_a)
    own_type = doctypes.type_for(personas.agency_a, "inquiry_notice")
    assert own_type is not None and own_type.title == "询问通知书（舒城式样）"
    assert doctypes.type_for(personas.agency_b, "inquiry_notice") == national
    keys = [t.key for t in doctypes.types_for(personas.agency_a)]
    assert keys.count("inquiry_notice") == 1


def test_a_type_not_yet_used_is_changed_in_place(personas: Any) -> None:
    agency = personas.agency_a
    services.document_catalog_load(actor=personas.alice, data=_catalog(_entry()), agency=agency)
    result = services.document_catalog_load(
        actor=personas.alice, data=_catalog(_entry(title="安全生产约谈记录")), agency=agency
    )
    assert result.updated == 1
    assert DocumentType.objects.filter(agency=agency, key="safety_talk_record").count() == 1


def test_a_type_used_by_issued_documents_is_versioned_not_changed_under_them(world: Any) -> None:
    from sanxiang.cases.tests.factories import open_case

    case = open_case(world)
    issued = issue(case, "filing_approval")
    draft = services.document_draft(actor=world.alice, type_key="filing_approval", case=case)
    data = json.loads(doctypes.shipped_catalog().read_text(encoding="utf-8"))
    changed = copy.deepcopy(next(t for t in data["types"] if t["key"] == "filing_approval"))
    changed["title"] = "立案审批表（2027年式样）"
    result = services.document_catalog_load(actor=world.alice, data=_catalog(changed))
    assert result.versioned == 1
    issued.refresh_from_db()
    draft.refresh_from_db()
    assert issued.type.title == "立案审批表" and issued.type.version == 1 and not issued.type.current
    assert draft.type.title == "立案审批表（2027年式样）" and draft.type.version == 2
    assert Document.objects.filter(type__key="filing_approval", type__version=1).count() == 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(key="Bad Key"), "须为小写英文标识"),
        (_entry(code="", numbered=True), "编号的文书须有文书代码"),
        (_entry(stages=["nowhere"]), "未知的阶段"),
        (_entry(signers=["mayor"]), "未知的签名人"),
        (_entry(rules=["art99"]), "未知的签发检查规则"),
        (_entry(fields=[{"name": "x", "label": "甲", "kind": "colour"}]), "字段类型“colour”无效"),
        (_entry(fields=[{"name": "x", "label": "甲", "kind": "choice"}]), "选项须为"),
        (
            _entry(
                fields=[
                    {"name": "x", "label": "甲", "kind": "text"},
                    {"name": "x", "label": "乙", "kind": "text"},
                ]
            ),
            "字段名“x”重复",
        ),
    ],
)
def test_a_bad_catalog_is_refused_whole_naming_the_problem(personas: Any, entry: Any, message: str) -> None:
    with pytest.raises(doctypes.CatalogError) as refused:
        services.document_catalog_load(actor=personas.alice, data=_catalog(_entry(key="good_one"), entry))
    assert message in str(refused.value)
    assert not DocumentType.objects.filter(key="good_one").exists()


def test_the_command_loads_a_file_for_an_agency_by_its_short_name(
    personas: Any, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(_catalog(_entry()), ensure_ascii=False), encoding="utf-8")
    call_command("load_document_catalog", str(path), "--agency", "甲县")
    assert "新增 1" in capsys.readouterr().out
    call_command("load_document_catalog", str(path), "--agency", "甲县")
    assert "未变 1" in capsys.readouterr().out
    assert doctypes.type_for(personas.agency_a, "safety_talk_record") is not None


def test_the_command_without_a_file_reloads_the_shipped_catalog_unchanged(db: None, capsys: Any) -> None:
    call_command("load_document_catalog")
    assert f"未变 {len(SECTION_3_3)}" in capsys.readouterr().out


def test_the_command_refuses_a_bad_file_in_chinese(db: None, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="未导入任何内容"):
        call_command("load_document_catalog", str(path))
    assert "无法读取文书目录文件" in capsys.readouterr().err
