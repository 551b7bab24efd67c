"""The review view and the forecast board, as the services give them: which open deals
need a look and why; a quick update recorded as a review, refused whole when bad, and
undone whole; the forecast's months with their counts, totals and weighted totals; a card
moved to another month keeping its day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from funneldesk.db import Database
from funneldesk.enums import ActivityKind, DealRole
from funneldesk.errors import InvalidInput, NotAllowed, StaleEdit
from funneldesk.models import Deal
from funneldesk.services import Services
from funneldesk.services.activities.forecast_records import PAST, UNDATED, day_in_month
from funneldesk.services.activities.review_records import ReviewFields, ReviewQuery
from funneldesk.services.dto import Actor
from tests.helpers import make_deal, snapshot, stage, version
from tests.services.test_deal_team import colleague

TODAY = dt.date.today()


def age(db: Database, deal_id: int, *, untouched: int = 0, in_stage: int = 0,
        expected: dt.date | None = None) -> None:
    """Makes the deal look as if nobody did anything on it for ``untouched`` days and it
    entered its stage ``in_stage`` days ago."""
    now = dt.datetime.now(dt.UTC)
    with db.session() as session:
        session.execute(update(Deal).where(Deal.id == deal_id).values(
            updated_at=now - dt.timedelta(days=untouched),
            stage_entered_at=now - dt.timedelta(days=max(in_stage, untouched)),
            expected_close=expected).execution_options(synchronize_session=False))


def reasons(services: Services, manager: Actor, **query: int) -> dict[str, tuple[str, ...]]:
    pipeline_id = services.board.pipelines()[0][0]
    return {row.title: row.reasons
            for row in services.reviews.deals(ReviewQuery(pipeline_id, **query))}


def test_the_review_lists_untouched_overdue_and_rotting_deals_with_their_reasons(
        services: Services, db: Database, manager: Actor) -> None:
    fresh = make_deal(services, manager, title="fresh")
    quiet = make_deal(services, manager, title="quiet")
    late = make_deal(services, manager, title="late")
    stuck = make_deal(services, manager, title="stuck")  # Initial contact rots at 14 days
    noted = make_deal(services, manager, title="noted")
    age(db, fresh.id, untouched=2, expected=TODAY + dt.timedelta(days=30))
    age(db, quiet.id, untouched=20)
    age(db, late.id, untouched=1, expected=TODAY - dt.timedelta(days=3))
    age(db, stuck.id, untouched=3, in_stage=15)
    age(db, noted.id, untouched=30)
    services.deal_teams.post_note(noted.id, "客户说下月再谈", by=manager)
    found = reasons(services, manager)
    assert found == {"quiet": ("untouched", "rotted"), "late": ("overdue",),
                     "stuck": ("rotted",), "noted": ("rotted",)}
    assert next(iter(found)) == "quiet"  # the most reasons first
    assert reasons(services, manager, untouched_days=21)["quiet"] == ("rotted",)
    with pytest.raises(InvalidInput):
        reasons(services, manager, untouched_days=0)


def test_the_review_shows_a_users_own_deals_and_those_of_their_teams(
        services: Services, db: Database, manager: Actor, rep: Actor) -> None:
    li = colleague(db)
    mine, on_team, other = (make_deal(services, rep, title=t) for t in ("mine", "team", "other"))
    for deal in (mine, on_team, other):
        age(db, deal.id, untouched=40)
    services.deal_teams.set_member(on_team.id, li.id, DealRole.TECH_SUPPORT, by=rep)
    assert set(reasons(services, manager, user_id=li.id)) == {"team"}
    assert set(reasons(services, manager, user_id=rep.id)) == {"mine", "team", "other"}


def test_a_quick_update_is_one_review_and_undo_takes_it_all_back(
        services: Services, db: Database, db_path: Path, rep: Actor, manager: Actor) -> None:
    deal = make_deal(services, rep)
    age(db, deal.id, untouched=30, expected=TODAY - dt.timedelta(days=5))
    before = snapshot(db_path)
    new_date = TODAY + dt.timedelta(days=20)
    fields = ReviewFields(new_date, ActivityKind.VISIT, "上门确认预算",
                          TODAY + dt.timedelta(days=2), "客户预算延到下季度")
    done = services.reviews.review(deal.id, fields, expected_version=version(services, deal.id),
                                   reasons=("untouched", "overdue"), by=manager)
    detail = services.deals.detail(deal.id)
    assert (detail.fields.expected_close, detail.version) == (new_date, done.version)
    step = services.activities.activity(done.activity_id or 0)
    assert (step.title, step.assignee_id, step.due_on) == ("上门确认预算", rep.id,
                                                           TODAY + dt.timedelta(days=2))
    assert [n.body for n in services.deal_teams.team(deal.id).notes] == ["客户预算延到下季度"]
    # touched today and dated ahead: only its time in the stage still brings it
    assert reasons(services, manager)[deal.title] == ("rotted",)
    reviewed = [e.review for e in services.timeline.of_deal(deal.id).past if e.review]
    assert [(r.before, r.after) for r in reviewed] == [(TODAY - dt.timedelta(days=5), new_date)]
    services.reviews.undo_review(done, expected_version=done.version, by=manager)
    after = snapshot(db_path)
    assert services.deals.detail(deal.id).fields.expected_close == TODAY - dt.timedelta(days=5)
    assert after["activities"] == before["activities"]
    assert after["deal_reviews"] == []
    assert services.deal_teams.team(deal.id).notes == ()


def test_a_bad_or_stale_quick_update_changes_nothing(
        services: Services, db: Database, db_path: Path, rep: Actor, manager: Actor) -> None:
    deal = make_deal(services, rep)
    outsider = colleague(db)
    current = version(services, deal.id)
    before = snapshot(db_path)
    yesterday = TODAY - dt.timedelta(days=1)
    for fields, field in ((ReviewFields(yesterday), "expected_close"),
                          (ReviewFields(None, next_title="打电话", next_day=yesterday), "next_day"),
                          (ReviewFields(None, note="长" * 5001), "note")):
        with pytest.raises(InvalidInput) as refused:
            services.reviews.review(deal.id, fields, expected_version=current, by=manager)
        assert refused.value.field == field
    with pytest.raises(StaleEdit):
        services.reviews.review(deal.id, ReviewFields(None), expected_version=current - 1,
                                by=manager)
    with pytest.raises(NotAllowed):
        services.reviews.review(deal.id, ReviewFields(None), expected_version=current,
                                by=outsider)
    assert snapshot(db_path) == before


def test_undoing_a_review_whose_next_step_was_done_since_is_refused_whole(
        services: Services, db_path: Path, manager: Actor) -> None:
    deal = make_deal(services, manager)
    done = services.reviews.review(
        deal.id, ReviewFields(TODAY + dt.timedelta(days=9), next_title="回访"),
        expected_version=deal.version, by=manager)
    step = services.activities.activity(done.activity_id or 0)
    services.activities.complete(step.id, "已回访", expected_version=step.version, by=manager)
    before = snapshot(db_path)
    with pytest.raises(StaleEdit):
        services.reviews.undo_review(done, expected_version=done.version, by=manager)
    assert snapshot(db_path) == before


def test_the_forecast_groups_open_deals_by_month_with_totals_weighted_by_stage(
        services: Services, manager: Actor) -> None:
    first = TODAY.replace(day=1)
    nxt = day_in_month((first + dt.timedelta(days=32)).replace(day=1), None)
    a = make_deal(services, manager, title="a", value="1000")  # Initial contact: 10 %
    b = make_deal(services, manager, title="b", value="3000", stage_name="Proposal")  # 40 %
    c = make_deal(services, manager, title="c", value="500")
    d = make_deal(services, manager, title="d", value="700")
    for deal, day in ((a, first), (b, first.replace(day=2)), (c, nxt),
                      (d, first - dt.timedelta(days=40))):
        services.forecast.set_close_date(deal.id, day, expected_version=deal.version,
                                         by=manager, today=dt.date(2000, 1, 1))
    make_deal(services, manager, title="undated", value="10")
    pipeline_id = stage(services, "Proposal").pipeline_id
    board = services.forecast.board(pipeline_id, TODAY)
    keys = [column.key for column in board.columns]
    assert keys[0] == PAST
    assert keys[-1] == UNDATED
    assert len(keys) == 8
    columns = {column.key: column for column in board.columns}
    this_month = columns[f"{first.year:04d}-{first.month:02d}"]
    assert [card.title for card in this_month.cards] == ["a", "b"]
    assert this_month.total.known == Decimal("4000.00")
    assert this_month.total.weighted == Decimal("1300.00")  # 100 + 1,200
    assert [card.title for card in columns[PAST].cards] == ["d"]
    assert [card.title for card in columns[UNDATED].cards] == ["undated"]
    later = services.forecast.board(pipeline_id, first + dt.timedelta(days=32))
    assert PAST in [column.key for column in later.columns]
    assert [c.title for c in later.columns[0].cards] == ["d", "a", "b"]


def test_a_card_never_moves_to_a_day_gone_by_but_an_undo_puts_one_back(
        services: Services, db_path: Path, manager: Actor) -> None:
    today = dt.date(2027, 3, 15)
    this_month = today.replace(day=1)
    assert day_in_month(this_month, dt.date(2027, 4, 1), today) == today
    assert day_in_month(this_month, dt.date(2027, 4, 20), today) == dt.date(2027, 3, 20)
    assert day_in_month(dt.date(2027, 4, 1), dt.date(2027, 3, 2), today) == dt.date(2027, 4, 2)
    deal = make_deal(services, manager)
    before = snapshot(db_path)
    with pytest.raises(InvalidInput) as refused:
        services.forecast.set_close_date(deal.id, dt.date(2027, 3, 1), today=today,
                                         expected_version=deal.version, by=manager)
    assert refused.value.field == "expected_close"
    assert snapshot(db_path) == before
    restored = services.forecast.set_close_date(deal.id, dt.date(2027, 3, 1), today=today,
                                                expected_version=deal.version, by=manager,
                                                restoring=True)
    assert restored.after == dt.date(2027, 3, 1)


def test_a_review_that_changes_no_field_leaves_the_deals_version_and_its_undo_needs_none(
        services: Services, db: Database, manager: Actor) -> None:
    deal = make_deal(services, manager)
    age(db, deal.id, untouched=30)
    on_track = services.reviews.review(deal.id, ReviewFields(None), expected_version=1,
                                       by=manager)
    assert on_track.version is None
    assert version(services, deal.id) == 1
    pipeline_id = stage(services, "Proposal").pipeline_id
    other = make_deal(services, manager, title="not reviewed")
    age(db, other.id, untouched=3, in_stage=20)
    first, row = services.reviews.deals(ReviewQuery(pipeline_id))
    assert first.title == "not reviewed"  # one reviewed lately comes last
    assert (row.reviewed_on, row.reviewed_lately) == (TODAY, True)
    assert "untouched" not in row.reasons  # the review touched it
    services.reviews.undo_review(on_track, expected_version=None, by=manager)
    row, _other = services.reviews.deals(ReviewQuery(pipeline_id))
    assert row.reviewed_on is None
    assert row.reasons == ("untouched", "rotted")  # as untouched as before the review
    assert version(services, deal.id) == 1


def test_a_card_moved_to_another_month_keeps_its_day_and_undo_puts_it_back(
        services: Services, db_path: Path, manager: Actor, rep: Actor) -> None:
    deal = make_deal(services, rep)
    jan31 = dt.date(2027, 1, 31)
    moved = services.forecast.set_close_date(deal.id, jan31, expected_version=deal.version,
                                             by=rep)
    assert day_in_month(dt.date(2027, 2, 1), jan31) == dt.date(2027, 2, 28)
    assert day_in_month(dt.date(2027, 3, 1), None) == dt.date(2027, 3, 31)
    back = services.forecast.set_close_date(deal.id, moved.before,
                                            expected_version=moved.version, by=rep)
    assert services.deals.detail(deal.id).fields.expected_close is None
    assert back.version == moved.version + 1
    other = make_deal(services, manager)
    before = snapshot(db_path)
    with pytest.raises(StaleEdit):
        services.forecast.set_close_date(deal.id, jan31, expected_version=moved.version,
                                         by=rep)
    with pytest.raises(NotAllowed):
        services.forecast.set_close_date(other.id, jan31, expected_version=other.version,
                                         by=rep)
    assert snapshot(db_path) == before


def test_the_forecast_of_a_colleague_shows_the_deals_they_own_or_are_on_the_team_of(
        services: Services, db: Database, rep: Actor, manager: Actor) -> None:
    li = colleague(db)
    on_team = make_deal(services, rep, title="on the team")
    make_deal(services, rep, title="the rep's alone")
    services.deal_teams.set_member(on_team.id, li.id, DealRole.FINANCE, by=rep)
    pipeline_id = stage(services, "Proposal").pipeline_id

    def titles(user_id: int) -> list[str]:
        board = services.forecast.board(pipeline_id, TODAY, user_id=user_id)
        return sorted(card.title for column in board.columns for card in column.cards)

    assert titles(li.id) == ["on the team"]
    assert titles(rep.id) == ["on the team", "the rep's alone"]
    assert titles(0) == ["on the team", "the rep's alone"]
