"""A deal's team and its notes feed, as the services keep them: colleagues put on a deal
with a role, its owner and managers alone changing who is on it; a colleague on the team
plans activities on it and posts notes, one off it cannot; the activities assigned to them
show in their own Today pane; notes and reviews in the deal's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from funneldesk.db import Database
from funneldesk.enums import ActivityKind, DealRole, Role
from funneldesk.errors import InvalidInput, NotAllowed, StaleEdit
from funneldesk.services import Services
from funneldesk.services.activities.records import ActivityFields
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, snapshot


def colleague(db: Database, login: str = "li", name: str = "李工") -> Actor:
    from funneldesk.models import User

    with db.session() as session:
        user = User(login=login, display_name=name, role=Role.REP)
        session.add(user)
        session.flush()
        return Actor(user.id, user.login, user.display_name, user.role)


def test_a_colleague_joins_with_a_role_changes_it_and_leaves_and_undo_restores_each(
        services: Services, db: Database, rep: Actor) -> None:
    li = colleague(db)
    deal = make_deal(services, rep)
    teams = services.deal_teams
    joined = teams.set_member(deal.id, li.id, DealRole.TECH_SUPPORT, by=rep)
    assert (joined.previous, joined.role) == (None, DealRole.TECH_SUPPORT)
    assert joined.changes.deal_ids == {deal.id}
    changed = teams.set_member(deal.id, li.id, DealRole.PRESALES, by=rep)
    assert (changed.previous, changed.role) == (DealRole.TECH_SUPPORT, DealRole.PRESALES)
    team = teams.team(deal.id)
    assert [(m.name, m.role) for m in team.members] == [("李工", DealRole.PRESALES)]
    assert team.is_on(li.id)
    assert team.is_on(rep.id)
    teams.restore_member(changed, by=rep)
    assert teams.team(deal.id).members[0].role is DealRole.TECH_SUPPORT
    left = teams.remove_member(deal.id, li.id, by=rep)
    assert teams.team(deal.id).members == ()
    teams.restore_member(left, by=rep)
    assert [m.role for m in teams.team(deal.id).members] == [DealRole.TECH_SUPPORT]
    teams.restore_member(joined, by=rep)
    assert not teams.team(deal.id).is_on(li.id)


def test_an_undo_of_a_team_change_that_someone_changed_since_is_refused_and_a_removal_undone_keeps_its_date(
        services: Services, db: Database, db_path: Path, rep: Actor, manager: Actor) -> None:
    li = colleague(db)
    deal = make_deal(services, rep)
    added = services.deal_teams.set_member(deal.id, li.id, DealRole.FINANCE, by=rep)
    services.deal_teams.set_member(deal.id, li.id, DealRole.LEGAL, by=manager)
    before = snapshot(db_path)
    with pytest.raises(StaleEdit) as refused:
        services.deal_teams.restore_member(added, by=rep)  # the rep's undo of the add
    assert "manager" in refused.value.message()
    assert snapshot(db_path) == before
    since = services.deal_teams.team(deal.id).members[0].added_at
    removed = services.deal_teams.remove_member(deal.id, li.id, by=manager)
    back = services.deal_teams.restore_member(removed, by=manager)
    assert back.role is DealRole.LEGAL
    assert services.deal_teams.team(deal.id).members[0].added_at == since


def test_only_the_owner_or_a_manager_changes_the_team_and_the_owner_is_not_a_member(
        services: Services, db: Database, db_path: Path, rep: Actor, manager: Actor) -> None:
    li, wang = colleague(db), colleague(db, "wang", "王会计")
    deal = make_deal(services, rep)
    services.deal_teams.set_member(deal.id, li.id, DealRole.TECH_SUPPORT, by=manager)
    before = snapshot(db_path)
    with pytest.raises(NotAllowed):
        services.deal_teams.set_member(deal.id, wang.id, DealRole.FINANCE, by=li)
    with pytest.raises(NotAllowed):
        services.deal_teams.remove_member(deal.id, li.id, by=wang)
    with pytest.raises(InvalidInput) as refused:
        services.deal_teams.set_member(deal.id, rep.id, DealRole.OTHER, by=manager)
    assert "owns this deal" in refused.value.message()
    assert snapshot(db_path) == before


def test_a_colleague_on_the_team_plans_on_the_deal_and_sees_it_in_their_today_pane(
        services: Services, db: Database, rep: Actor) -> None:
    li, outsider = colleague(db), colleague(db, "zhao", "赵六")
    deal = make_deal(services, rep)
    today = dt.date.today()
    fields = ActivityFields(ActivityKind.DEMO, "给客户演示", due_on=today, deal_id=deal.id)
    with pytest.raises(NotAllowed):
        services.activities.plan(fields, by=li)
    services.deal_teams.set_member(deal.id, li.id, DealRole.PRESALES, by=rep)
    services.activities.plan(fields, by=li)
    # the owner assigns one to the colleague: it is theirs, not the owner's
    services.activities.plan(ActivityFields(ActivityKind.CALL, "确认安装环境", due_on=today,
                                            assignee_id=li.id, deal_id=deal.id), by=rep)
    theirs = services.reminders.reminders(li.id)
    assert sorted(a.title for a in theirs.today) == sorted(["给客户演示", "确认安装环境"])
    assert services.reminders.reminders(rep.id).today == ()
    with pytest.raises(NotAllowed):
        services.activities.plan(fields, by=outsider)


def test_the_team_shares_a_notes_feed_and_a_note_taken_back_comes_back_as_it_was(
        services: Services, db: Database, db_path: Path, rep: Actor, manager: Actor) -> None:
    li, outsider = colleague(db), colleague(db, "zhao", "赵六")
    deal = make_deal(services, rep)
    services.deal_teams.set_member(deal.id, li.id, DealRole.LEGAL, by=rep)
    first = services.deal_teams.post_note(deal.id, "  客户要求修改付款条款  ", by=li)
    services.deal_teams.post_note(deal.id, "已发给法务审核", by=rep)
    feed = services.deal_teams.team(deal.id).notes
    assert [(n.author, n.body) for n in feed] == [("Rita Rep", "已发给法务审核"),
                                                   ("李工", "客户要求修改付款条款")]
    before = snapshot(db_path)
    with pytest.raises(NotAllowed):
        services.deal_teams.post_note(deal.id, "x", by=outsider)
    with pytest.raises(NotAllowed):
        services.deal_teams.take_back_note(first.note.id, by=outsider)
    for body, said in (("   ", "Write the note first."),
                       ("长" * 5001, "Keep a note under 5,000 characters.")):
        with pytest.raises(InvalidInput) as refused:
            services.deal_teams.post_note(deal.id, body, by=li)
        assert (refused.value.field, refused.value.message()) == ("body", said)
    assert snapshot(db_path) == before
    services.deal_teams.take_back_note(first.note.id, by=li)
    assert [n.body for n in services.deal_teams.team(deal.id).notes] == ["已发给法务审核"]
    services.deal_teams.bring_back_note(first.note.id, by=manager)
    assert services.deal_teams.team(deal.id).notes[1] == first.note
    timeline = services.timeline.of_deal(deal.id)
    assert [e.note.body for e in timeline.past if e.note] == ["已发给法务审核", "客户要求修改付款条款"]


def test_purging_a_deal_takes_its_team_notes_and_reviews(
        services: Services, db: Database, manager: Actor) -> None:
    from funneldesk.services.activities.review_records import ReviewFields

    li = colleague(db)
    deal = make_deal(services, manager)
    services.deal_teams.set_member(deal.id, li.id, DealRole.FINANCE, by=manager)
    services.deal_teams.post_note(deal.id, "预付款三成", by=li)
    services.reviews.review(deal.id, ReviewFields(None, note="还在等预算"),
                            expected_version=deal.version, by=manager)
    version = services.deals.detail(deal.id).version
    services.trash.delete(deal_id=deal.id, expected_version=version, by=manager)
    services.trash.empty(deal_ids=[deal.id], by=manager)
    for table in ("deal_members", "deal_notes", "deal_reviews"):
        assert db.query(f"SELECT count(*) FROM {table}")[0][0] == 0


def test_a_colleague_finds_the_deals_they_own_or_are_on_the_team_of_in_the_deals_list(
        services: Services, db: Database, rep: Actor, manager: Actor) -> None:
    from funneldesk.services.dto import DealQuery, query_from_dict, query_to_dict

    li = colleague(db)
    on_team = make_deal(services, rep, title="安装项目")
    make_deal(services, rep, title="别人的项目")
    own = make_deal(services, manager, title="李工自己的")
    services.deals.update(deal_id=own.id, expected_version=own.version, by=manager,
                          fields=replace(services.deals.detail(own.id).fields, owner_id=li.id))
    services.deal_teams.set_member(on_team.id, li.id, DealRole.TECH_SUPPORT, by=rep)
    query = DealQuery(team_of=li.id)
    found = [row.title for row in services.deal_list.all_rows(query)]
    assert sorted(found) == sorted(["安装项目", "李工自己的"])
    assert services.deal_list.count(query) == 2
    assert query_from_dict(query_to_dict(query)) == query  # a saved view keeps it
