import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.agencies.models import Agency, Officer, PowerItem, RandomCheckItem
from sanxiang.audit.models import Event
from sanxiang.demo.loader import DEMO_PASSWORD

ROLE_PANELS = {
    "officer": "我的执法证件",
    "officer2": "我的执法证件",
    "sectionhead": "本股室与本机关执法证件提醒",
    "reviewer": "法制审核",
    "leader": "执法人员资格概况",
    "archivist": "全过程记录",
    "discloser": "事前公开信息",
    "hs_officer": "我的执法证件",
    "supervisor": "所监督的执法机关",
    "admin": "系统管理",
}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_loading_twice_changes_nothing_the_second_time(demo, capsys):
    counts = (Agency.objects.count(), Officer.objects.count(), User.objects.count(), Event.objects.count())
    call_command("load_demo")
    assert "演示数据已存在" in capsys.readouterr().out
    assert counts == (
        Agency.objects.count(),
        Officer.objects.count(),
        User.objects.count(),
        Event.objects.count(),
    )


def test_the_demo_bureau_has_the_certificates_to_watch(demo):
    today = timezone.localdate()
    states = {o.name: o.certificate_state(today) for o in Officer.objects.filter(agency__short_name="舒")}
    assert len(states) >= 12
    assert list(states.values()).count("expiring") == 1
    assert list(states.values()).count("expired") == 1
    assert list(states.values()).count("revoked") == 1
    shucheng = Agency.objects.get(short_name="舒")
    assert shucheng.region_code == "341523"
    assert shucheng.parent is not None
    assert shucheng.parent.name == "六安市应急管理局"
    assert shucheng.sections.filter(name="执法监督股", is_legal_review_unit=True).exists()


def test_the_demo_lists_come_through_the_importer(demo):
    assert PowerItem.objects.filter(agency__short_name="舒").count() > 5
    assert RandomCheckItem.objects.filter(agency__short_name="舒").count() > 3


@pytest.mark.parametrize(("username", "panel"), ROLE_PANELS.items())
def test_each_demo_login_opens_a_home_page_fitting_the_role(client, demo, username, panel):
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "工作台" in body and panel in body


def test_the_officer_list_of_the_demo_shows_every_kind_of_warning(client, demo):
    client.force_login(User.objects.get(username="leader"))
    body = client.get(reverse("agencies:officer_list")).content.decode()
    for label in ("即将到期", "已过期", "已注销", "已暂扣"):
        assert label in body


def test_an_officer_qr_code_opens_the_public_credential_page(client, demo):
    officer = Officer.objects.get(user__username="officer")
    client.force_login(officer.user)
    card = client.get(reverse("agencies:officer_card", args=[officer.pk])).content.decode()
    path = reverse("disclosure:credential", args=[officer.credential_token])
    assert path in card
    client.logout()
    assert "证件有效" in client.get(path).content.decode()


def test_the_demo_log_starts_with_a_signed_tree_head(demo):
    from sanxiang.audit.models import Checkpoint

    checkpoint = Checkpoint.objects.get()
    assert checkpoint.tree_size == Event.objects.count()


def test_the_huoshan_officer_sees_none_of_the_shucheng_cases(client, demo):
    from sanxiang.cases.models import Case

    shucheng_case = Case.objects.filter(agency__short_name="舒").first()
    assert shucheng_case is not None
    officer = Officer.objects.get(user__username="hs_officer")
    assert officer.agency.name == "霍山县应急管理局"
    client.post(reverse("accounts:login"), {"username": "hs_officer", "password": DEMO_PASSWORD})
    listing = client.get(reverse("cases:list")).content.decode()
    assert shucheng_case.title not in listing
    assert client.get(reverse("cases:detail", args=[shucheng_case.pk])).status_code == 404


def test_the_demo_decisions_are_published_one_withdrawn_and_one_draft_overdue(demo, client):
    from sanxiang.disclosure.models import Publication, PublicationStatus

    shucheng = Publication.objects.filter(agency__short_name="舒")
    assert shucheng.filter(status=PublicationStatus.PUBLISHED).count() >= 3
    withdrawn = shucheng.get(status=PublicationStatus.WITHDRAWN)
    assert "行政复议决定撤销" in withdrawn.withdrawal.reason
    today = timezone.localdate()
    assert shucheng.filter(status=PublicationStatus.DRAFT, due_on__lt=today).count() == 1
    client.force_login(User.objects.get(username="discloser"))
    body = client.get(reverse("publications:queue")).content.decode()
    assert "已逾期" in body
