"""The print templates against the real catalog: every type prints every value it holds, and every document
of a closed general-procedure case renders to a PDF with its title and number in Chinese text."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sanxiang.cases.tests.factories import World, open_case
from sanxiang.cases.workflow import Stage
from sanxiang.documents.models import Document, DocumentStatus, DocumentType
from sanxiang.documents.rendering import render_docx, render_html, render_pdf
from sanxiang.documents.rendering.layout import print_date, print_datetime, print_money
from sanxiang.documents.tests.factories import walk

# Fields whose value is not words on the page: the seal field only says where the seal goes.
NOT_PRINTED = {"seal"}
# Letters address the party by name, as the 2016 式样 do (“安徽某某有限公司：”); the party's address and
# representative are on the documents that identify it (决定书, 送达回执, records).
LETTERS = {"penalty_notice", "hearing_notice", "rectification_order"}


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sample(spec: dict[str, Any], n: int) -> tuple[Any, list[str]]:
    """A value for the field spec, distinct from every other field's, and the words it must print as."""
    kind = spec["kind"]
    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
    if kind == "text":
        return f"样例{n:03d}号值", [f"样例{n:03d}号值"]
    if kind == "textarea":
        return f"段落{n:03d}甲。\n段落{n:03d}乙。", [f"段落{n:03d}甲。", f"段落{n:03d}乙。"]
    if kind == "date":
        return day.isoformat(), [print_date(day)]
    if kind == "datetime":
        moment = datetime.datetime.combine(day, datetime.time(9, n % 60))
        return moment.isoformat(timespec="minutes"), [print_datetime(moment)]
    if kind == "money":
        return 100_000 + n * 101, [print_money(100_000 + n * 101)]
    if kind == "integer":
        return 7000 + n, [str(7000 + n)]
    if kind == "choice":
        value, label = spec["choices"][0]
        return value, [label]
    if kind == "boolean":
        return True, []
    if kind == "officers":
        name, number = f"人员{n:03d}", f"3415{n:07d}"
        return [{"id": n, "name": name, "certificate_number": number}], [name, number]
    if kind == "party":
        party: dict[str, Any] = {
            "id": None,
            "kind": "organisation",
            "name": f"单位{n:03d}",
            "address": f"地址{n:03d}",
            "credit_code": "",
            "resident_id": "",
            "legal_representative": f"代表{n:03d}",
            "phone": "",
        }
        return party, [party["name"], party["address"], party["legal_representative"]]
    if kind == "list" and spec.get("item_fields"):
        item: dict[str, Any] = {}
        words: list[str] = []
        for k, sub in enumerate(spec["item_fields"]):
            item[sub["name"]], sub_words = sample(sub, n * 10 + k + 500)
            words += sub_words
        return [item], words
    if kind == "list":
        return [f"条目{n:03d}"], [f"条目{n:03d}"]
    raise AssertionError(f"a kind the catalog does not use: {kind}")


@pytest.fixture
def case(world: World) -> Any:
    return open_case(world)


def test_every_type_of_the_catalog_prints_every_value_it_holds(world: World, case: Any) -> None:
    types = list(DocumentType.objects.filter(agency__isnull=True, current=True, active=True))
    assert len(types) >= 51
    missing: list[str] = []
    for doc_type in types:
        values: dict[str, Any] = {}
        expected: dict[str, list[str]] = {}
        for n, spec in enumerate(doc_type.fields):
            values[spec["name"]], expected[spec["name"]] = sample(spec, n)
            if spec["kind"] == "party" and doc_type.key in LETTERS:
                expected[spec["name"]] = [values[spec["name"]]["name"]]
        now = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
        draft = Document.objects.create(
            agency=case.agency,
            case=case,
            type=doc_type,
            fields=values,
            drafted_by=world.alice,
            drafted_at=now,
            updated_at=now,
        )
        html = render_html(draft)
        assert doc_type.title in html
        for name, words in expected.items():
            if name in NOT_PRINTED:
                continue
            missing += [f"{doc_type.key}.{name}: {w}" for w in words if w not in html]
    assert missing == [], "\n".join(missing)


def test_every_document_of_a_closed_case_renders_with_its_title_and_number(
    world: World, tmp_path: Path
) -> None:
    case = walk(world, Stage.CLOSED)
    documents = list(
        Document.objects.filter(case=case, status=DocumentStatus.ISSUED).select_related("type", "agency")
    )
    titles = {d.type.title for d in documents}
    for title in ("立案审批表", "行政处罚告知书", "行政处罚决定书", "文书送达回执", "结案审批表"):
        assert title in titles
    for document in documents:
        path = tmp_path / f"{document.pk}.pdf"
        path.write_bytes(render_pdf(document))
        text = flat(run("pdftotext", path, "-"))
        assert document.type.title in text, document.type.key
        assert flat(document.number) in text, document.type.key
        assert "Noto-Serif-CJK-SC" in run("pdffonts", path)
        if document.type.key == "delivery_receipt":
            # the party signed the receipt on the pad: its image is on the page
            assert " image " in run("pdfimages", "-list", path)
    decision = next(d for d in documents if d.type.key == "penalty_decision")
    assert "（" in flat(render_html(decision)) and render_docx(decision)[:2] == b"PK"
