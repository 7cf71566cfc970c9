"""Redaction of decision texts: every personal item masked, what the law keeps public kept, idempotent."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.core.identifiers import credit_code_check_char, resident_id_check_digit
from sanxiang.disclosure.redaction import Context, Kind, NameStyle, Policy, mask_name, redact, residual

SAMPLES = Path(__file__).parent / "samples"


def _sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


PERSON_CONTEXT = Context(
    persons=("张建国",),
    keep=("舒城县应急管理局", "陈志远", "王晓东", "舒城县杭埠镇建国五金加工厂", "12345678901234567"),
)
COMPANY_CONTEXT = Context(
    keep=(
        "舒城县应急管理局",
        "赵雪梅",
        "0564-8628888",
        "舒城县华安化工有限公司",
        "安徽省六安市舒城县杭埠经济开发区纬一路18号",
    )
)

PERSON_ITEMS = [
    "张建国",
    "341523197803150016",
    "梅河路88号",
    "13856412345",
    "李秀英",
    "王小明",
    "34152319900307803X",
    "0564-8621234",
    "刘×华",
    "6222021302000012344",
    "A1234",
    "zhangjg1978",
    "孙*强",
    "陈桂芳",
    "1990****",
    "新河村",
]
ORDER_CONTEXT = Context(keep=("舒城县应急管理局", "陈志远", "王晓东"))
ORDER_ITEMS = [
    "王德顺",
    "341523196805120033",
    "5641",
    "老街组",
    "褚红梅",
    "章立新",
    "韩小兵",
    "邱桂兰",
    "滕志刚",
    "341523780312011",
    "NF12345",
    "廖×平",
    "柴*军",
    "王小虎",
    "wangxiaohu2008",
    "0213 0200",
]
COMPANY_ITEMS = [
    "周德明",
    "8612345",
    "5641",
    "吴国庆",
    "郑小军",
    "冯丽娟",
    "钱文杰",
    "341523196609120036",
    "何春生",
    "34010419850722101X",
    "徽州大道",
    "D12345",
    "孙莉",
    "18955667788",
    "sunli.law",
    "0123 456",
]


@pytest.mark.parametrize(
    ("sample", "context", "items"),
    [
        ("penalty_person.txt", PERSON_CONTEXT, PERSON_ITEMS),
        ("penalty_company.txt", COMPANY_CONTEXT, COMPANY_ITEMS),
        ("rectification_order.txt", ORDER_CONTEXT, ORDER_ITEMS),
    ],
)
def test_every_personal_item_of_a_decision_is_masked(sample, context, items):
    result = redact(_sample(sample), context)
    for item in items:
        assert item not in result.text, item
    assert residual(result.text, context) == []


@pytest.mark.parametrize(
    ("sample", "context", "kept"),
    [
        (
            "penalty_person.txt",
            PERSON_CONTEXT,
            [
                "舒城县杭埠镇建国五金加工厂",
                "92341523MA2T00000X",
                "陈志远（执法证号：34152301001）",
                "（舒）应急罚〔2026〕12号",
            ],
        ),
        (
            "penalty_company.txt",
            COMPANY_CONTEXT,
            [
                "舒城县华安化工有限公司",
                "91341523MA2T0000X5",
                "六安市正信检测有限公司（统一社会信用代码91341523705512345Y）",
                "安徽省安全生产技术服务中心",
                "安徽省六安市舒城县杭埠经济开发区纬一路18号",
                "《中华人民共和国安全生产法》第一百零一条第四项",
                "（（舒）应急检记〔2026〕33号）",
                "50000.00元",
                "2026年4月28日",
                "赵雪梅，电话：0564-8628888",
            ],
        ),
        (
            "rectification_order.txt",
            ORDER_CONTEXT,
            [
                "舒城县王氏五金加工厂（个体工商户，统一社会信用代码92341523MA2T00001B）",
                "员工宿舍设置在车间内",
                "执法证号分别为34152319001、34152319002",
                "（舒）应急责改〔2026〕41号",
                "2026年5月26日前整改完毕",
            ],
        ),
    ],
)
def test_organisations_credit_codes_officers_provisions_and_numbers_stay(sample, context, kept):
    text = redact(_sample(sample), context).text
    for item in kept:
        assert item in text, item


@pytest.mark.parametrize(
    ("sample", "context"),
    [
        ("penalty_person.txt", PERSON_CONTEXT),
        ("penalty_company.txt", COMPANY_CONTEXT),
        ("rectification_order.txt", ORDER_CONTEXT),
    ],
)
def test_redacting_redacted_text_changes_nothing(sample, context):
    once = redact(_sample(sample), context)
    twice = redact(once.text, context)
    assert twice.text == once.text
    assert twice.spans == ()


def test_spans_give_kind_position_original_and_replacement():
    text = "证人王小明，身份证号码34152319900307803X。"
    spans = redact(text).spans
    assert [(s.kind, s.original, s.replacement) for s in spans] == [
        (Kind.NAME, "王小明", "王某某"),
        (Kind.RESIDENT_ID, "34152319900307803X", "341523********803X"),
    ]
    assert all(text[s.start : s.end] == s.original for s in spans)


def test_an_id_number_is_recognised_by_its_check_digit_without_any_context():
    assert redact("编号341523198001010014已登记").text == "编号341523********0014已登记"


def test_an_18_digit_number_failing_the_check_digit_is_no_id_unless_the_text_says_so():
    assert redact("合同号341523198001010015").text == "合同号341523198001010015"
    assert redact("身份证号：341523198001010015").text == "身份证号：341523********0015"


def test_an_old_15_digit_id_number_is_masked():
    assert redact("身份证号码341523800101001，").text == "身份证号码341523*****1001，"


def test_a_partly_masked_id_that_shows_the_birth_date_is_masked_further():
    assert redact("陈桂芳身份证3415231990****1234").text.endswith("341523********1234")


def test_a_credit_code_is_never_taken_for_an_id_or_a_bank_account():
    text = "该公司账号登记为统一社会信用代码913415230000000032，组织代码91341523705512345Y。"
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("手机13956412345。", "手机139****2345。"),
        ("电话：0564-8621234", "电话：056****1234"),
        ("电话：0564－8621234", "电话：056****1234"),
        ("联系电话：8621234", "联系电话：*******"),
        ("手机+86 139 5641 2345", "手机139****2345"),
    ],
)
def test_phone_numbers_keep_three_and_four_digits(text, masked):
    assert redact(text).text == masked


def test_a_bank_card_is_recognised_by_luhn_and_an_account_by_the_words_before_it():
    assert redact("工资卡6222021302000012343").text == "工资卡6222****2343"
    assert redact("开户银行：徽商银行，账号：1020 7010 2100 0123 456").text.endswith("账号：1020****3456")
    # 16 digits failing Luhn, with no banking word nearby: not an account
    assert redact("设备编号6222021302000012").text == "设备编号6222021302000012"


@pytest.mark.parametrize(
    ("plate", "masked"),
    [
        ("皖N·12345", "皖N·*****"),
        ("皖N12345", "皖N·*****"),
        ("皖AD12345", "皖A·******"),
        ("苏E·D12345", "苏E·******"),
    ],
)
def test_licence_plates_keep_the_province_and_city_letter(plate, masked):
    assert redact(f"车辆{plate}停放").text == f"车辆{masked}停放"


def test_an_address_is_kept_up_to_the_township():
    assert redact("住址：安徽省舒城县城关镇梅河路88号3栋201室，").text == "住址：安徽省舒城县城关镇****，"
    assert redact("家住舒城县千人桥镇新河村王圩组").text == "家住舒城县千人桥镇****"


def test_a_town_inside_a_city_name_is_no_township():
    assert redact("住址：江苏省镇江市京口区大港街道港南路12号").text == "住址：江苏省镇江市京口区大港街道****"


def test_names_around_masking_characters_become_surname_and_moumou():
    assert redact("员工张×明、王*强和李某未经培训").text == "员工张某某、王某某和李某未经培训"


def test_the_punished_persons_name_style_is_configurable():
    context = Context(punished=("张建国",), persons=("李四",))
    kept = redact("当事人张建国，证人李四。", context, Policy(punished_name=NameStyle.FULL)).text
    assert kept == "当事人张建国，证人李某某。"
    short = redact("当事人张建国，证人李四。", context, Policy(punished_name=NameStyle.SURNAME_MOU)).text
    assert short == "当事人张某，证人李某某。"


def test_names_from_the_record_are_masked_wherever_they_appear():
    text = "经查，欧阳明华于当日操作叉车。"
    assert redact(text, Context(persons=("欧阳明华",))).text == "经查，欧阳某某于当日操作叉车。"
    assert mask_name("欧阳明华", NameStyle.SURNAME_MOU) == "欧阳某"


def test_the_agency_and_its_officers_named_as_kept_stay():
    text = "执法人员陈志远、王晓东出示执法证件。证人李秀英在场。"
    result = redact(text, Context(persons=("陈志远",), keep=("陈志远", "王晓东")))
    assert result.text == "执法人员陈志远、王晓东出示执法证件。证人李某某在场。"


def test_places_and_organisations_after_a_role_word_are_no_names():
    text = "当事人系舒城县杭埠镇五金厂的经营者，当事人储存车间主任吴国庆在场。"
    assert redact(text).text == "当事人系舒城县杭埠镇五金厂的经营者，当事人储存车间主任吴某某在场。"


def test_the_post_scan_finds_an_id_number_left_in_a_text():
    hits = residual("公示文本：当事人身份证号341523198001010014。")
    assert [h.kind for h in hits] == [Kind.RESIDENT_ID]


def test_the_command_prints_the_redacted_text_and_with_json_the_spans(tmp_path):
    source = tmp_path / "decision.txt"
    source.write_text("证人王小明，电话13956412345。", encoding="utf-8")
    out = StringIO()
    call_command("redact", str(source), stdout=out)
    assert out.getvalue() == "证人王某某，电话139****2345。"
    out = StringIO()
    call_command("redact", str(source), "--json", stdout=out)
    spans = json.loads(out.getvalue())["spans"]
    assert [(s["kind"], s["start"], s["end"]) for s in spans] == [("name", 2, 5), ("phone", 8, 19)]


# ----------------------------------------------------------------------------------------------------
# Properties

_digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def resident_ids(draw):
    area = draw(st.sampled_from(["341523", "340104", "110105", "440524"]))
    born = draw(st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2010, 12, 31)))
    serial = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{area}{born:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_digit(first17)


@st.composite
def credit_codes(draw):
    body = (
        "9"
        + draw(st.sampled_from("123"))
        + "341523"
        + draw(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9))
    )
    return body + credit_code_check_char(body)


mobiles = st.builds(lambda p, n: f"1{p}{n:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
names = st.builds(
    lambda s, g: s + g,
    st.sampled_from("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"),
    st.sampled_from(["小明", "秀英", "国庆", "丽娟", "德明"]),
)
fillers = st.sampled_from(
    ["经查，", "该单位", "未按规定", "开展安全培训。", "现场检查发现", "，", "。", "情况属实"]
)


@st.composite
def decision_texts(draw):
    parts: list[str] = []
    secrets: list[str] = []
    kept: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        choice = draw(st.integers(0, 4))
        if choice == 0:
            rid = draw(resident_ids())
            parts.append(f"身份证号码{rid}，")
            secrets.append(rid)
        elif choice == 1:
            phone = draw(mobiles)
            parts.append(f"联系电话{phone}。")
            secrets.append(phone)
        elif choice == 2:
            name = draw(names)
            parts.append(f"证人{name}，")
            secrets.append(name)
        elif choice == 3:
            code = draw(credit_codes())
            parts.append(f"统一社会信用代码{code}，")
            kept.append(code)
        parts.append(draw(fillers))
    return "".join(parts), secrets, kept


@settings(max_examples=150, deadline=None)
@given(decision_texts())
def test_property_secrets_are_gone_codes_stay_and_redaction_is_a_fixed_point(case):
    text, secrets, kept = case
    result = redact(text)
    for secret in secrets:
        assert secret not in result.text
    for code in kept:
        assert code in result.text
    assert redact(result.text).text == result.text
    assert residual(result.text) == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="张王李某×*0123456789-皖N·住址镇村号，。身份证电话账号", max_size=60))
def test_property_redaction_of_any_text_is_idempotent(text):
    once = redact(text).text
    assert redact(once).text == once


bodies = st.builds(
    lambda a, b, c: a + b + c,
    st.sampled_from(["王氏", "张记", "李家", "陈", "周", "舒城县刘氏", "吴"]),
    st.sampled_from(["五金", "建材", "化工", "石料", "纺织", "机械"]),
    st.sampled_from(["有限公司", "加工厂", "经营部", "商行", "专业合作社", "门市部"]),
)


@settings(max_examples=100, deadline=None)
@given(bodies, st.sampled_from(["当事人：", "当事人", "被检查单位负责人所在的", "证人所在单位"]))
def test_property_an_organisation_named_after_a_role_word_is_never_masked(body, lead):
    text = f"{lead}{body}，经营地点为舒城县。"
    assert body in redact(text).text


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("实际控制人欧阳明华长期不在公司。", "实际控制人欧阳某某长期不在公司。"),
        ("现场负责人：刘 强，在场。", "现场负责人：刘某某，在场。"),
        ("身份证号：341523 19800101 0014。", "身份证号：341523********0014。"),
        ("死者周某华，女，52岁。", "死者周某某，女，52岁。"),
        ("外来人员赵六系临时工。", "外来人员赵某某系临时工。"),
    ],
)
def test_harder_shapes_of_names_and_numbers_are_masked(text, redacted):
    assert redact(text).text == redacted


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (
            "舒城县华安化工有限公司位于舒城县杭埠经济开发区纬一路18号。",
            "舒城县华安化工有限公司位于舒城县杭埠经济开发区****。",
        ),
        (
            "执法人员于2026年3月5日到舒城县城关镇梅河路88号检查。",
            "执法人员于2026年3月5日到舒城县城关镇****检查。",
        ),
        ("在车间3楼发现", "在车间3楼发现"),
    ],
)
def test_an_address_by_its_shape_starts_after_the_organisation_or_the_verb_before_it(text, redacted):
    assert redact(text).text == redacted


@settings(max_examples=150, deadline=None)
@given(decision_texts(), names, st.integers(min_value=0, max_value=200))
def test_property_spans_are_ordered_apart_and_name_the_text_and_known_names_never_remain(case, name, at):
    text = case[0]
    at = min(at, len(text))
    text = text[:at] + name + text[at:]
    result = redact(text, Context(persons=(name,)))
    assert name not in result.text
    ends = 0
    for span in result.spans:
        assert span.start >= ends and text[span.start : span.end] == span.original
        ends = span.end


def test_an_officer_named_with_the_certificate_number_stays_without_any_context():
    text = (
        "本局执法人员陈志远（执法证号：34152301001）、王晓东（执法证号：34152301002）到现场检查，"
        "员工李秀英在场。"
    )
    result = redact(text)
    assert "陈志远（执法证号：34152301001）、王晓东" in result.text
    assert "李秀英" not in result.text


def test_the_collection_account_a_fine_is_paid_into_stays_but_a_persons_account_does_not():
    text = (
        "罚款缴至：舒城县非税收入汇缴结算户，开户银行：中国农业银行舒城县支行，账号：12345678901234567。"
        "员工工资通过工商银行账户6222021302000012344发放。"
    )
    result = redact(text)
    assert "账号：12345678901234567" in result.text
    assert "6222021302000012344" not in result.text
