"""Specimen layouts (样张): a 行政处罚决定书 and a 立案审批表 filled in as a county bureau would.

For previewing print templates after an agency adjusts them, for bench/rendering.py, and for the rendering
tests. The people and the company are invented; the numbers follow the real formats.
"""

from __future__ import annotations

import datetime
import io
import zoneinfo

from sanxiang.documents.rendering.layout import (
    ApprovalLine,
    BodySection,
    FieldLine,
    Layout,
    OfficerLine,
    PartyBlock,
    SealPosition,
    SignatureBlock,
    print_money,
)

__all__ = ["ISSUED_AT", "decision_layout", "filing_approval_layout", "signature_png"]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ISSUED_AT = datetime.datetime(2026, 3, 5, 10, 30, tzinfo=SHANGHAI)
AGENCY = "舒城县应急管理局"
OFFICERS = (OfficerLine("陈志远", "34152301001"), OfficerLine("李明", "34152301002"))
COMPANY = PartyBlock(
    "当事人",
    "安徽舒润化工有限公司",
    (
        FieldLine("credit_code", "统一社会信用代码", "91341523MA2N0X1234"),
        FieldLine("legal_representative", "法定代表人（负责人）", "王建国"),
        FieldLine("address", "地址", "安徽省六安市舒城县城关镇梅河路8号"),
        FieldLine("phone", "联系电话", "0564-8621234"),
    ),
)

FACTS = (
    "2026年1月12日，本局执法人员对你单位进行现场检查，发现你单位2025年新入职的8名从业人员"
    "（其中4名在危险化学品仓库岗位作业）未经安全生产教育和培训即上岗作业，"
    "且你单位未建立从业人员安全生产教育和培训档案。"
)
REMEDIES = (
    "如不服本决定，可以在收到本决定书之日起六十日内依法向舒城县人民政府申请行政复议，"
    "或者在六个月内依法向舒城县人民法院提起行政诉讼。申请行政复议或者提起行政诉讼期间，"
    "本决定不停止执行，法律另有规定的除外（《中华人民共和国行政处罚法》第七十三条）。"
)


def signature_png(width: int = 360, height: int = 120) -> bytes:
    """A handwritten-looking stroke on a transparent PNG, as the signature pad stores one."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    points = [(12, 88), (48, 30), (70, 84), (104, 26), (130, 90), (170, 40), (200, 72), (250, 34), (340, 60)]
    pen.line(points, fill=(20, 20, 60, 255), width=6, joint="curve")
    pen.line([(180, 100), (330, 96)], fill=(20, 20, 60, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def decision_layout(*, long: bool = False, signed: bool = True) -> Layout:
    """A 行政处罚决定书 with a fine of 30000 元; ``long`` repeats the facts so the text runs to two pages."""
    facts = (FACTS,) * (4 if long else 1)
    party_signature = (
        SignatureBlock("party", "当事人", "王建国", image=signature_png(), signed_on="2026年3月6日")
        if signed
        else SignatureBlock("party", "当事人")
    )
    return Layout(
        agency_name=AGENCY,
        title="行政处罚决定书",
        template="penalty_decision",
        number="（舒）应急罚〔2026〕12号",
        parties=(COMPANY,),
        fields=(
            FieldLine("payment_bank", "缴款银行", "中国农业银行舒城县支行"),
            FieldLine("payment_account", "缴款账号", "12-345601040001234"),
        ),
        sections=(
            BodySection("facts", "违法事实", facts),
            BodySection(
                "evidence",
                "证据",
                (
                    "1．现场检查记录（（舒）应急检记〔2026〕3号）；",
                    "2．询问笔录2份；",
                    "3．从业人员花名册及劳动合同复印件8份；",
                    "4．现场照片12张。",
                ),
            ),
            BodySection(
                "violated",
                "违反的规定",
                ("《中华人民共和国安全生产法》第二十八条第一款、第四款",),
            ),
            BodySection("basis", "处罚依据", ("《中华人民共和国安全生产法》第九十七条第三项",)),
            BodySection(
                "penalties",
                "处罚的种类和金额",
                (f"未按照规定对从业人员进行安全生产教育和培训：罚款{print_money(3000000)}",),
            ),
            BodySection(
                "performance",
                "履行方式和期限",
                (
                    "自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款"
                    "（《中华人民共和国行政处罚法》第六十七条）。到期不缴纳罚款的，每日按罚款数额的"
                    "百分之三加处罚款，加处罚款的数额不超出罚款的数额（《中华人民共和国行政处罚法》第七十二条）。",
                ),
            ),
            BodySection("remedies", "申请行政复议、提起行政诉讼的途径和期限", (REMEDIES,)),
        ),
        officers=OFFICERS,
        signatures=(
            SignatureBlock("leader", "机关负责人", "周国华", signed_on="2026年3月5日"),
            party_signature,
        ),
        seal=SealPosition(AGENCY, "2026年3月5日"),
        issued_on="2026年3月5日",
        issued_at=ISSUED_AT,
        numbered=True,
        agency_key="1",
    )


def filing_approval_layout() -> Layout:
    """A 立案审批表 reviewed and approved: the approval-form layout."""
    return Layout(
        agency_name=AGENCY,
        title="立案审批表",
        template="filing_approval",
        number="（舒）应急立〔2026〕7号",
        fields=(
            FieldLine(
                "case_title", "案由", "安徽舒润化工有限公司未按照规定对从业人员进行安全生产教育和培训案"
            ),
            FieldLine("case_source", "案件来源", "日常检查"),
            FieldLine("case_time", "案发时间", "2026年1月12日"),
        ),
        parties=(COMPANY,),
        sections=(
            BodySection(
                "summary", "案件基本情况", (FACTS, "涉嫌违反《中华人民共和国安全生产法》第二十八条的规定。")
            ),
        ),
        officers=OFFICERS,
        approvals=(
            ApprovalLine("承办人意见", "建议立案调查。", "陈志远、李明", "2026年1月13日"),
            ApprovalLine("审核意见", "符合立案条件，同意立案。", "赵刚", "2026年1月13日"),
            ApprovalLine("审批意见", "同意立案，由陈志远、李明承办。", "周国华", "2026年1月14日"),
        ),
        issued_on="2026年1月14日",
        issued_at=datetime.datetime(2026, 1, 14, 16, 0, tzinfo=SHANGHAI),
        numbered=True,
        agency_key="1",
    )
