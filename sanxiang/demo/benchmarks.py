"""The demo bureau's 行政处罚裁量基准: an earlier version (2022) and the one in force (舒应急〔2025〕12号).

The rows follow the published 应急管理 裁量基准 tables of 安徽's counties: each violation of the 安全生产法
(2021) with the article violated, the penalty article and four 情节 levels; the amounts stay within the
statutory ranges (Art.94, 96, 97, 99, 101, 102, 105). Names and numbers of the documents are fictional.
"""

from __future__ import annotations

import datetime
from typing import Any

from sanxiang.accounts.models import User
from sanxiang.agencies import services
from sanxiang.agencies.models import Agency

FIRST_OFFENCE = (
    "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（《行政处罚法》第三十三条第一款）；"
    "主动消除或者减轻违法行为危害后果、受他人胁迫或者诱骗、主动供述、配合查处有立功表现的，"
    "应当从轻或者减轻处罚（《行政处罚法》第三十二条）。"
)


def _levels(
    slight: tuple[str, str, int | None, int | None],
    general: tuple[str, str, int | None, int | None],
    serious: tuple[str, str, int | None, int | None],
    grave: tuple[str, str, int | None, int | None],
) -> list[dict[str, Any]]:
    out = []
    for level, (circumstance, penalty, low, high) in zip(
        ("slight", "general", "serious", "grave"), (slight, general, serious, grave), strict=True
    ):
        out.append(
            {
                "level": level,
                "circumstance": circumstance,
                "penalty": penalty,
                "fine_min_yuan": low,
                "fine_max_yuan": high,
            }
        )
    return out


ROWS_2025: list[dict[str, Any]] = [
    {
        "violation": "生产经营单位的主要负责人未履行安全生产管理职责",
        "violated_provision": "《中华人民共和国安全生产法》第二十一条",
        "penalty_provision": "《中华人民共和国安全生产法》第九十四条第一款",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            (
                "未履行一项职责，在责令限期内改正的",
                "责令限期改正，处二万元以上三万元以下的罚款",
                20000,
                30000,
            ),
            ("未履行二项职责的", "责令限期改正，处三万元以上四万元以下的罚款", 30000, 40000),
            ("未履行三项以上职责的", "责令限期改正，处四万元以上五万元以下的罚款", 40000, 50000),
            (
                "逾期未改正的",
                "处五万元的罚款，责令生产经营单位停产停业整顿",
                50000,
                50000,
            ),
        ),
    },
    {
        "violation": "生产经营单位的其他负责人和安全生产管理人员未履行安全生产管理职责",
        "violated_provision": "《中华人民共和国安全生产法》第二十五条",
        "penalty_provision": "《中华人民共和国安全生产法》第九十六条",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            (
                "未履行一项职责，在责令限期内改正的",
                "责令限期改正，处一万元以上一万五千元以下的罚款",
                10000,
                15000,
            ),
            ("未履行二项职责的", "责令限期改正，处一万五千元以上二万元以下的罚款", 15000, 20000),
            ("未履行三项以上职责的", "责令限期改正，处二万元以上二万五千元以下的罚款", 20000, 25000),
            ("逾期未改正或者导致发生生产安全事故的", "处二万五千元以上三万元以下的罚款", 25000, 30000),
        ),
    },
    {
        "violation": (
            "未按照规定对从业人员、被派遣劳动者、实习学生进行安全生产教育和培训，"
            "或者未按照规定如实告知有关的安全生产事项"
        ),
        "violated_provision": "《中华人民共和国安全生产法》第二十八条第一款",
        "penalty_provision": "《中华人民共和国安全生产法》第九十七条第三项",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            (
                "未培训或者未告知从业人员 1 人，在责令限期内改正的",
                "责令限期改正，可以处一万元以下的罚款",
                0,
                10000,
            ),
            (
                "未培训或者未告知从业人员 2 人以上 5 人以下的",
                "责令限期改正，处一万元以上三万元以下的罚款",
                10000,
                30000,
            ),
            (
                "未培训或者未告知从业人员 6 人以上 10 人以下的",
                "责令限期改正，处三万元以上六万元以下的罚款",
                30000,
                60000,
            ),
            (
                "未培训或者未告知从业人员 11 人以上的，或者逾期未改正的",
                "处六万元以上十万元以下的罚款；逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款，"
                "对直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款",
                60000,
                200000,
            ),
        ),
    },
    {
        "violation": "未将事故隐患排查治理情况如实记录或者未向从业人员通报",
        "violated_provision": "《中华人民共和国安全生产法》第四十一条第二款",
        "penalty_provision": "《中华人民共和国安全生产法》第九十七条第五项",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            ("记录不完整，在责令限期内改正的", "责令限期改正，可以处一万元以下的罚款", 0, 10000),
            (
                "未如实记录或者未通报，涉及一般事故隐患的",
                "责令限期改正，处一万元以上四万元以下的罚款",
                10000,
                40000,
            ),
            (
                "未如实记录或者未通报，涉及重大事故隐患的",
                "责令限期改正，处四万元以上十万元以下的罚款",
                40000,
                100000,
            ),
            (
                "逾期未改正的",
                "责令停产停业整顿，并处十万元以上二十万元以下的罚款，对直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款",
                100000,
                200000,
            ),
        ),
    },
    {
        "violation": "未按照规定制定生产安全事故应急救援预案或者未定期组织演练",
        "violated_provision": "《中华人民共和国安全生产法》第八十一条",
        "penalty_provision": "《中华人民共和国安全生产法》第九十七条第六项",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            (
                "已制定预案但未按期组织演练，在责令限期内改正的",
                "责令限期改正，可以处二万元以下的罚款",
                0,
                20000,
            ),
            (
                "未制定现场处置方案或者专项应急预案的",
                "责令限期改正，处二万元以上五万元以下的罚款",
                20000,
                50000,
            ),
            ("未制定综合应急预案的", "责令限期改正，处五万元以上十万元以下的罚款", 50000, 100000),
            (
                "逾期未改正的",
                "责令停产停业整顿，并处十万元以上二十万元以下的罚款，对直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款",
                100000,
                200000,
            ),
        ),
    },
    {
        "violation": "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业",
        "violated_provision": "《中华人民共和国安全生产法》第三十条第一款",
        "penalty_provision": "《中华人民共和国安全生产法》第九十七条第七项",
        "leniency_note": "",
        "levels": _levels(
            ("无证上岗 1 人，未发生事故的", "责令限期改正，处二万元以上五万元以下的罚款", 20000, 50000),
            ("无证上岗 2 人的", "责令限期改正，处五万元以上七万元以下的罚款", 50000, 70000),
            ("无证上岗 3 人以上的", "责令限期改正，处七万元以上十万元以下的罚款", 70000, 100000),
            (
                "逾期未改正的",
                "责令停产停业整顿，并处十万元以上二十万元以下的罚款，对直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款",
                100000,
                200000,
            ),
        ),
    },
    {
        "violation": "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志",
        "violated_provision": "《中华人民共和国安全生产法》第三十五条",
        "penalty_provision": "《中华人民共和国安全生产法》第九十九条第一项",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            ("未设置 1 处，在责令限期内改正的", "责令限期改正，可以处一万元以下的罚款", 0, 10000),
            ("未设置 2 处以上 3 处以下的", "责令限期改正，处一万元以上三万元以下的罚款", 10000, 30000),
            ("未设置 4 处以上的", "责令限期改正，处三万元以上五万元以下的罚款", 30000, 50000),
            (
                "逾期未改正的；情节严重的",
                "处五万元以上二十万元以下的罚款，对直接负责的主管人员和其他直接责任人员处一万元以上二万元以下的罚款；"
                "情节严重的，责令停产停业整顿",
                50000,
                200000,
            ),
        ),
    },
    {
        "violation": "未对安全设备进行经常性维护、保养和定期检测",
        "violated_provision": "《中华人民共和国安全生产法》第三十六条第二款",
        "penalty_provision": "《中华人民共和国安全生产法》第九十九条第三项",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            ("涉及安全设备 1 台（套），在责令限期内改正的", "责令限期改正，可以处一万元以下的罚款", 0, 10000),
            (
                "涉及安全设备 2 台（套）以上 5 台（套）以下的",
                "责令限期改正，处一万元以上三万元以下的罚款",
                10000,
                30000,
            ),
            ("涉及安全设备 6 台（套）以上的", "责令限期改正，处三万元以上五万元以下的罚款", 30000, 50000),
            (
                "逾期未改正的；情节严重的",
                "处五万元以上二十万元以下的罚款，对直接负责的主管人员和其他直接责任人员处一万元以上二万元以下的罚款；"
                "情节严重的，责令停产停业整顿",
                50000,
                200000,
            ),
        ),
    },
    {
        "violation": "未为从业人员提供符合国家标准或者行业标准的劳动防护用品",
        "violated_provision": "《中华人民共和国安全生产法》第四十五条",
        "penalty_provision": "《中华人民共和国安全生产法》第九十九条第五项",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            ("涉及从业人员 3 人以下，在责令限期内改正的", "责令限期改正，可以处一万元以下的罚款", 0, 10000),
            ("涉及从业人员 4 人以上 10 人以下的", "责令限期改正，处一万元以上三万元以下的罚款", 10000, 30000),
            ("涉及从业人员 11 人以上的", "责令限期改正，处三万元以上五万元以下的罚款", 30000, 50000),
            (
                "逾期未改正的；情节严重的",
                "处五万元以上二十万元以下的罚款，对直接负责的主管人员和其他直接责任人员处一万元以上二万元以下的罚款；"
                "情节严重的，责令停产停业整顿",
                50000,
                200000,
            ),
        ),
    },
    {
        "violation": "未建立事故隐患排查治理制度，或者重大事故隐患排查治理情况未按照规定报告",
        "violated_provision": "《中华人民共和国安全生产法》第四十一条",
        "penalty_provision": "《中华人民共和国安全生产法》第一百零一条第五项",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            ("制度不健全，在责令限期内改正的", "责令限期改正，可以处二万元以下的罚款", 0, 20000),
            ("未建立事故隐患排查治理制度的", "责令限期改正，处二万元以上五万元以下的罚款", 20000, 50000),
            (
                "重大事故隐患排查治理情况未按照规定报告的",
                "责令限期改正，处五万元以上十万元以下的罚款",
                50000,
                100000,
            ),
            (
                "逾期未改正的",
                "责令停产停业整顿，并处十万元以上二十万元以下的罚款，对直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款",
                100000,
                200000,
            ),
        ),
    },
    {
        "violation": "生产经营单位未采取措施消除事故隐患",
        "violated_provision": "《中华人民共和国安全生产法》第四十一条第二款",
        "penalty_provision": "《中华人民共和国安全生产法》第一百零二条",
        "leniency_note": "",
        "levels": _levels(
            (
                "一般事故隐患 1 项，在责令期限内消除的",
                "责令立即消除或者限期消除，可以处一万元以下的罚款",
                0,
                10000,
            ),
            (
                "一般事故隐患 2 项以上的",
                "责令立即消除或者限期消除，处一万元以上三万元以下的罚款",
                10000,
                30000,
            ),
            ("重大事故隐患的", "责令立即消除或者限期消除，处三万元以上五万元以下的罚款", 30000, 50000),
            (
                "拒不执行的",
                "责令停产停业整顿，对直接负责的主管人员和其他直接责任人员处五万元以上十万元以下的罚款",
                None,
                None,
            ),
        ),
    },
    {
        "violation": (
            "两个以上生产经营单位在同一作业区域内进行可能危及对方安全生产的生产经营活动，"
            "未签订安全生产管理协议或者未指定专职安全生产管理人员进行安全检查与协调"
        ),
        "violated_provision": "《中华人民共和国安全生产法》第四十八条",
        "penalty_provision": "《中华人民共和国安全生产法》第一百零五条",
        "leniency_note": FIRST_OFFENCE,
        "levels": _levels(
            (
                "未指定专职安全生产管理人员，在责令限期内改正的",
                "责令限期改正，可以处一万元以下的罚款",
                0,
                10000,
            ),
            ("未签订安全生产管理协议的", "责令限期改正，处一万元以上三万元以下的罚款", 10000, 30000),
            (
                "既未签订协议也未指定专职安全生产管理人员的",
                "责令限期改正，处三万元以上五万元以下的罚款",
                30000,
                50000,
            ),
            ("逾期未改正的", "责令停产停业", None, None),
        ),
    },
]

# The earlier version: fewer rows, superseded by the 2025 revision.
ROWS_2022: list[dict[str, Any]] = [ROWS_2025[2], ROWS_2025[6], ROWS_2025[10]]


def load_benchmarks(*, agency: Agency, actor: User) -> dict[str, int]:
    """Publish the demo agency's two 裁量基准 versions (the second in force); returns counts."""
    earlier = services.benchmark_draft(
        actor=actor,
        agency=agency,
        title="舒城县应急管理局安全生产行政处罚自由裁量基准",
        document_number="舒应急〔2022〕35号",
        effective_on=datetime.date(2022, 5, 1),
        note="依据2021年修正的《中华人民共和国安全生产法》制定。",
        items=ROWS_2022,
    )
    services.benchmark_publish(actor=actor, benchmark=earlier)
    current = services.benchmark_draft(
        actor=actor,
        agency=agency,
        title="舒城县应急管理局安全生产行政处罚裁量基准（2025年修订）",
        document_number="舒应急〔2025〕12号",
        effective_on=datetime.date(2025, 3, 1),
        note=(
            "依据《中华人民共和国行政处罚法》《中华人民共和国安全生产法》和《安徽省应急管理行政处罚裁量权基准》"
            "修订，自施行之日起舒应急〔2022〕35号同时废止。"
        ),
        items=ROWS_2025,
    )
    services.benchmark_publish(actor=actor, benchmark=current)
    return {"benchmark_versions": 2, "benchmark_items": len(ROWS_2025)}


__all__ = ["load_benchmarks"]
