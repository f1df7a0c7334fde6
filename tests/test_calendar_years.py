"""The working calendar across years: the official schedule synced from the
chinese-calendar package, the years it covers, provisional deadlines where a year is
not known, entering a year by hand, and the year-end guard.

The year 2027 is made unknown in each test (its rows, if the installed package has
them, are removed inside the test's transaction), so the tests do not depend on the
package release.  The 2027 days entered by hand below are invented for the tests
(named 虚构, "fictitious"): they are not the official schedule."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..lib import official_calendar
from .common import TsqCase, TsqHttpCase
from .test_sla import SlaCase

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2027


def utc(*args):
    """Naive UTC instant of a Beijing wall time."""
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def entered_stage_at(service, instant):
    """Backdate the entry of ``service`` in its stage to ``instant`` and recompute
    its stage deadline."""
    service.env.cr.execute(
        "UPDATE project_project SET stage_entered_at = %s WHERE id = %s", (instant, service.id)
    )
    service.invalidate_recordset()
    for name in ("stage_deadline", "stage_deadline_provisional"):
        service.env.add_to_compute(service._fields[name], service)


def frozen(*args):
    return freeze_time(utc(*args))


def forget_year(env, year):
    """Make ``year`` unknown to the calendar (inside the test transaction)."""
    Exception_ = env["tsq.calendar.exception"].sudo().with_context(active_test=False)
    Exception_.search([("year", "=", year)]).unlink()
    env["tsq.calendar.year"].sudo().search([("year", "=", year)]).unlink()


def fictitious_year(env, quality, company=None):
    """Enter the invented 2027 of these tests by hand, as a Quality Manager:
    holidays 1-5 Jan and 4-8 Feb, make-up days Sat 9 Jan and Sat 13 Feb."""
    wizard = (
        env["tsq.calendar.year.wizard"]
        .with_user(quality)
        .create(
            {
                "year": YEAR,
                "company_id": company and company.id,
                "line_ids": [
                    Command.create(
                        {
                            "name": "测试元旦（虚构）",
                            "date_from": "2027-01-01",
                            "date_to": "2027-01-05",
                        }
                    ),
                    Command.create(
                        {"name": "测试调休（虚构）", "kind": "workday", "date_from": "2027-01-09"}
                    ),
                    Command.create(
                        {
                            "name": "测试春节（虚构）",
                            "date_from": "2027-02-04",
                            "date_to": "2027-02-08",
                        }
                    ),
                    Command.create(
                        {
                            "name": "测试春节调休（虚构）",
                            "kind": "workday",
                            "date_from": "2027-02-13",
                        }
                    ),
                ],
            }
        )
    )
    return wizard.action_apply()


@tagged("post_install", "-at_install")
class TestOfficialSync(TsqCase):
    """The official schedule comes from the installed package, not from typing."""

    def _official(self, years):
        rows = self.env["tsq.calendar.exception"].search(
            [("company_id", "=", False), ("origin", "=", "official"), ("year", "in", years)]
        )
        return {(r.date, r.kind) for r in rows}

    def test_sync_yields_exactly_the_package_dates(self):
        import chinese_calendar  # noqa: PLC0415

        constants = chinese_calendar.constants
        years = (2025, 2026)
        expected = {(d, "holiday") for d in constants.holidays if d.year in years}
        expected |= {
            (d, "workday")
            for d in constants.workdays
            if d.year in years and d not in constants.holidays
        }
        self.assertEqual(self._official(years), expected)
        covered = self.company._tsq_covered_years()
        package_years = {d.year for d in constants.holidays}
        self.assertTrue(package_years <= covered, "every year of the package is covered")
        row = self.env["tsq.calendar.exception"].search(
            [("date", "=", date(2026, 2, 17)), ("company_id", "=", False)]
        )
        self.assertEqual(row.with_context(lang="en_US").name, "Spring Festival")
        self.assertEqual(row._names()[row.id]["zh_CN"], "春节")
        self.assertEqual(row.origin_version, chinese_calendar.__version__)
        self.assertIn(chinese_calendar.__version__, row.origin_label)

    def test_second_sync_changes_nothing(self):
        Exception_ = self.env["tsq.calendar.exception"].sudo()
        Exception_._tsq_sync_official()
        before = {(r.id, r.date, r.kind, r.active) for r in Exception_.search([])}
        log = Exception_._tsq_sync_official()
        after = {(r.id, r.date, r.kind, r.active) for r in Exception_.search([])}
        self.assertEqual(before, after)
        self.assertEqual(
            (log.added_count, log.corrected_count, log.removed_count, log.kept_count),
            (0, 0, 0, 0),
        )
        self.assertEqual(log.unchanged_count, len(official_calendar.load().days))
        self.assertIn("nothing changed", log.summary)

    def test_sync_adds_corrects_and_archives(self):
        Exception_ = self.env["tsq.calendar.exception"].sudo()
        missing = Exception_.search([("date", "=", date(2026, 10, 5)), ("company_id", "=", False)])
        missing.unlink()
        altered = Exception_.search([("date", "=", date(2026, 5, 9)), ("company_id", "=", False)])
        self.env.cr.execute(
            "UPDATE tsq_calendar_exception SET kind = 'holiday' WHERE id = %s", [altered.id]
        )
        stale = Exception_.create(
            {
                "name": "Not in the package",
                "date": "2026-03-07",
                "kind": "holiday",
                "origin": "official",
                "origin_version": "0.0",
            }
        )
        self.env.invalidate_all()
        log = Exception_._tsq_sync_official()
        self.assertEqual((log.added_count, log.corrected_count, log.removed_count), (1, 1, 1))
        self.assertEqual(altered.kind, "workday")
        self.assertFalse(stale.active)
        restored = Exception_.search([("date", "=", date(2026, 10, 5)), ("company_id", "=", False)])
        self.assertEqual((restored.kind, restored.origin), ("holiday", "official"))
        self.assertFalse(self.company._tsq_work_calendar().is_working_day(date(2026, 10, 5)))

    def test_rows_entered_by_hand_survive_a_sync(self):
        Exception_ = self.env["tsq.calendar.exception"]
        # a company works on an official holiday (Mon 16 Feb 2026) on its own
        own = Exception_.with_user(self.quality).create(
            {
                "name": "公司值班",
                "date": "2026-02-16",
                "kind": "workday",
                "company_id": self.company.id,
            }
        )
        # a global day entered by hand where the package says otherwise (Sun 15 Feb)
        Exception_.sudo().search(
            [("date", "=", date(2026, 2, 15)), ("company_id", "=", False)]
        ).unlink()
        by_hand = Exception_.with_user(self.quality).create(
            {"name": "手工调休", "date": "2026-02-15", "kind": "workday"}
        )
        log = Exception_.sudo()._tsq_sync_official()
        self.assertEqual(log.kept_count, 1)
        self.assertIn("2026-02-15", log.kept_dates)
        self.assertIn("2026-02-15", log.summary)
        self.assertEqual((own.kind, own.origin, own.active), ("workday", "manual", True))
        self.assertEqual((by_hand.kind, by_hand.origin), ("workday", "manual"))
        self.assertEqual(
            Exception_.search_count([("date", "=", date(2026, 2, 15))]), 1, "no official twin"
        )
        cal = self.company._tsq_work_calendar()
        self.assertTrue(cal.is_working_day(date(2026, 2, 16)), "the company's row wins")

    def test_only_a_quality_manager_syncs(self):
        Exception_ = self.env["tsq.calendar.exception"]
        with self.assertRaises(AccessError):
            Exception_.with_user(self.manager).action_sync_official()
        action = Exception_.with_user(self.quality).action_sync_official()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("chinese-calendar", action["params"]["message"])

    def test_official_days_are_the_packages(self):
        Exception_ = self.env["tsq.calendar.exception"].with_user(self.quality)
        official = Exception_.search([("date", "=", date(2026, 10, 1)), ("company_id", "=", False)])
        self.assertEqual(official.origin, "official")
        with self.assertRaisesExactly(UserError, "official schedule") as caught:
            official.write({"kind": "workday"})
        self.assertIs(type(caught.exception), UserError)
        with self.assertRaisesExactly(UserError, "official schedule"):
            official.unlink()
        with self.assertRaisesExactly(UserError, "sync only"):
            Exception_.create(
                {"name": "x", "date": "2026-03-07", "kind": "holiday", "origin": "official"}
            )

    def test_bad_days_are_refused_whole(self):
        Exception_ = self.env["tsq.calendar.exception"].with_user(self.quality)
        count = Exception_.search_count([])
        for vals, message in (
            ({"date": "1900-10-01"}, "1949"),
            ({"date": "2101-01-01"}, "2100"),
            ({"date": "2026-10-01"}, "already a calendar exception"),  # official holiday
            ({"date": "2026-03-04", "kind": "workday"}, "weekday"),  # Wednesday, global
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                Exception_.create(
                    [
                        {"name": "好日子", "date": "2026-03-07"},  # fine on its own
                        {"name": "坏日子", "kind": "holiday", **vals},
                    ]
                )
        self.assertEqual(Exception_.search_count([]), count, "nothing half-written")
        # a company's own make-up day on a weekday: allowed, with a warning in the form
        own = Exception_.new({"name": "公司加班", "date": date(2026, 3, 4), "kind": "workday"})
        own.company_id = self.company
        self.assertIn("warning", own._onchange_make_up_weekday())
        Exception_.create(
            {
                "name": "公司加班",
                "date": "2026-03-04",
                "kind": "workday",
                "company_id": self.company.id,
            }
        )


@tagged("post_install", "-at_install")
class TestProvisionalDeadlines(SlaCase):
    """Deadlines counted through a year whose holidays are unknown are still
    computed, on the weekly pattern, and marked provisional until the year is loaded."""

    def setUp(self):
        super().setUp()
        forget_year(self.env, YEAR)
        self.assertNotIn(YEAR, self.company._tsq_covered_years())

    def test_complaints_across_an_unknown_year(self):
        # Thu 31 Dec 2026 22:00: the last day of a covered year
        with frozen(2026, 12, 31, 22, 5):
            late = self._complaint(utc(2026, 12, 31, 22, 0))
        # Mon 1 Feb 2027 10:00: inside the unknown year
        with frozen(2027, 2, 1, 10, 5):
            inside = self._complaint(utc(2027, 2, 1, 10, 0))
        # Mon 4 Jan 2027: handled and closed on the 5th, judged by its provisional limit
        closed = self._closed_complaint(
            (2027, 1, 4, 9, 0), (2027, 1, 5, 10, 0), filed=(2027, 1, 4, 9, 5)
        )
        closed_clock = self._clock(closed, self.resolution_policy)
        self.assertEqual(closed_clock.state, "met")
        closed_deadline = closed_clock.deadline

        late_response = self._clock(late, self.response_policy)
        late_resolution = self._clock(late, self.resolution_policy)
        inside_resolution = self._clock(inside, self.resolution_policy)
        # 24 clock hours consult no calendar: final
        self.assertEqual(late_response.deadline, utc(2027, 1, 1, 22, 0))
        self.assertFalse(late_response.deadline_provisional)
        # 7 working days on the weekly pattern: 1, 4-8, 11 Jan -> 24:00 of Mon 11 Jan
        self.assertEqual(late_resolution.deadline, utc(2027, 1, 12))
        self.assertTrue(late_resolution.deadline_provisional)
        self.assertIn("2027", late_resolution.deadline_note)
        # 2-5, 8-10 Feb -> 24:00 of Wed 10 Feb
        self.assertEqual(inside_resolution.deadline, utc(2027, 2, 11))
        self.assertTrue(inside_resolution.deadline_provisional)
        self.assertTrue(late.tsq_sla_provisional and inside.tsq_sla_provisional)
        self.assertIn("2027", late.tsq_sla_deadline_note)
        self.assertEqual(
            self.Ticket.search(
                [("team_id", "=", self.team.id), ("tsq_sla_provisional", "=", True)]
            ),
            late | inside,
            "a closed complaint has no running deadline",
        )
        # the form shows the flag next to the deadline
        arch = self.Ticket.with_user(self.manager).get_views([(False, "form")])["views"]["form"]
        self.assertIn("tsq_sla_provisional", arch["arch"])
        self.assertIn("tsq_deadline", arch["arch"])

        fictitious_year(self.env, self.quality)

        self.assertIn(YEAR, self.company._tsq_covered_years())
        # recomputed to the minute: 1-5 Jan off -> 6, 7, 8, Sat 9 (make-up), 11, 12, 13
        self.assertEqual(late_resolution.deadline, utc(2027, 1, 14))
        self.assertFalse(late_resolution.deadline_provisional)
        self.assertEqual(late_response.deadline, utc(2027, 1, 1, 22, 0))
        # 4-8 Feb off -> 2, 3, 9, 10, 11, 12, Sat 13 (make-up) -> 24:00 of Sat 13 Feb
        self.assertEqual(inside_resolution.deadline, utc(2027, 2, 14))
        self.assertFalse(inside_resolution.deadline_provisional)
        self.assertFalse(late.tsq_sla_provisional or inside.tsq_sla_provisional)
        # a clock that ended keeps the deadline it was judged by
        self.assertEqual(closed_clock.deadline, closed_deadline)
        self.assertEqual(closed_clock.state, "met")

    def test_indicator_says_how_many_deadlines_are_provisional(self):
        # answered within 24 h, handled within 7 working days
        ticket = self._closed_complaint(
            (2026, 12, 31, 22, 0), (2027, 1, 1, 10, 0), filed=(2026, 12, 31, 22, 5)
        )
        now = utc(2027, 1, 4, 10)
        indicator = self.env.ref("tech_service_quality.indicator_complaint_timeliness")
        engine = self.env["tsq.indicator.engine"]
        period = [(date(2026, 12, 1), date(2027, 1, 1))]
        # the fixture's team only: the demo agency's own complaints are not the test's
        counts = engine._count(self.company, indicator, period, "team", now)
        self.assertEqual(counts[(0, self.team.id)], (1, 1, 1))
        rows = engine._facts(self.company, indicator, period[0], "team", self.team.id, now=now)
        self.assertEqual([(r["res_id"], r["prov"]) for r in rows], [(ticket.id, True)])
        Snapshot = self.env["tsq.indicator.snapshot"]
        figures = Snapshot._tsq_compute(self.company, "month", period, now=now, splits=("team",))
        figure = figures.filtered(lambda s: s.indicator_id == indicator and s.team_id == self.team)
        self.assertEqual((figure.numerator, figure.denominator), (1, 1))
        self.assertEqual(figure.provisional_count, 1)


@tagged("post_install", "-at_install")
class TestProvisionalServiceDeadlines(TsqCase):
    def setUp(self):
        super().setUp()
        forget_year(self.env, YEAR)

    def test_service_deadlines_across_an_unknown_year(self):
        self.category.write(
            {"limit_s2_days": 5, "response_time": 16, "response_unit": "working_hours"}
        )
        inquiry = self._new_service(inquiry_received_at=utc(2026, 12, 31, 10, 0))
        # 16 working hours from Thu 31 Dec 10:00: 7 h that day, then 1 Jan (weekly: a Friday)
        self.assertEqual(inquiry.response_deadline, utc(2027, 1, 4, 10, 0))
        self.assertTrue(inquiry.response_deadline_provisional)
        self.assertTrue(inquiry.has_provisional_deadline)
        self.assertIn("2027", inquiry.response_deadline_note)
        service = self._advance(self._new_service(), "s2")
        entered_stage_at(service, utc(2026, 12, 29, 10, 0))
        # Tue 29 Dec + 5 working days: 30, 31 Dec, 1, 4, 5 Jan -> 24:00 of 5 Jan
        self.assertEqual(service.stage_deadline, utc(2027, 1, 6))
        self.assertTrue(service.stage_deadline_provisional)
        self.assertIn("2027", service.stage_deadline_note)
        Project = self.env["project.project"]
        self.assertIn(service, Project.search([("has_provisional_deadline", "=", True)]))

        fictitious_year(self.env, self.quality)

        # 1-5 Jan off: 30, 31 Dec, 6, 7, 8 Jan -> 24:00 of Fri 8 Jan
        self.assertEqual(service.stage_deadline, utc(2027, 1, 9))
        self.assertFalse(service.stage_deadline_provisional)
        self.assertFalse(service.stage_deadline_note)
        # the unanswered inquiry: 7 h on 31 Dec, then 6 Jan 9:00 + 9 h -> Thu 7 Jan 10:00
        self.assertEqual(inquiry.response_deadline, utc(2027, 1, 7, 10, 0))
        self.assertFalse(inquiry.response_deadline_provisional)
        self.assertFalse(
            (service | inquiry) & Project.search([("has_provisional_deadline", "=", True)])
        )

    def test_objection_deadline_across_an_unknown_year(self):
        self.category.objection_days = 5
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        with frozen(2026, 12, 30, 15, 0):
            acceptance.sudo()._raise_objection("缺少附图", "portal")
        # Wed 30 Dec + 5: 31 Dec, 1, 4, 5, 6 Jan (weekly pattern) -> 24:00 of 6 Jan
        self.assertEqual(acceptance.objection_deadline, utc(2027, 1, 7))
        self.assertTrue(acceptance.objection_deadline_provisional)
        self.assertIn("2027", acceptance.objection_deadline_note)
        self.category.objection_days = 10  # a later change of the category's limit
        fictitious_year(self.env, self.quality)
        # the limit in force when raised (5): 31 Dec, 6, 7, 8, Sat 9 Jan -> 24:00 of 9 Jan
        self.assertEqual(acceptance.objection_deadline, utc(2027, 1, 10))
        self.assertFalse(acceptance.objection_deadline_provisional)


@tagged("post_install", "-at_install")
class TestYearByHand(TsqCase):
    def setUp(self):
        super().setUp()
        forget_year(self.env, YEAR)

    def _wizard(self, lines, **vals):
        return (
            self.env["tsq.calendar.year.wizard"]
            .with_user(self.quality)
            .create({"year": YEAR, "line_ids": [Command.create(line) for line in lines], **vals})
        )

    def test_each_bad_line_is_named_and_nothing_is_written(self):
        count = self.env["tsq.calendar.exception"].search_count([])
        good = {"name": "测试元旦（虚构）", "date_from": "2027-01-01", "date_to": "2027-01-03"}
        for line, message in (
            (
                {"name": "错年", "date_from": "2028-01-01"},
                "Line 2 \\(错年\\): 2028-01-01 is not in 2027",
            ),
            (
                {"name": "倒置", "date_from": "2027-05-05", "date_to": "2027-05-01"},
                "Line 2 \\(倒置\\): the holiday ends",
            ),
            (
                {"name": "周三调休", "kind": "workday", "date_from": "2027-03-03"},
                "Line 2 \\(周三调休\\): 2027-03-03 is a weekday",
            ),
            (
                {"name": "重叠调休", "kind": "workday", "date_from": "2027-01-02"},
                "Line 2 \\(重叠调休\\): 2027-01-02 is already on Line 1",
            ),
            (
                {"name": "重复", "date_from": "2027-01-03", "date_to": "2027-01-04"},
                "Line 2 \\(重复\\): 2027-01-03 is already on Line 1",
            ),
        ):
            with self.subTest(line=line), self.assertRaisesRegex(ValidationError, message):
                self._wizard([good, line]).action_apply()
        with self.assertRaisesRegex(ValidationError, "1949"):
            self._wizard([good], year=1900).action_apply()
        with self.assertRaisesRegex(ValidationError, "Add the year"):
            self._wizard([]).action_apply()
        self.assertEqual(self.env["tsq.calendar.exception"].search_count([]), count)
        self.assertNotIn(YEAR, self.company._tsq_covered_years())

    def test_a_day_already_in_the_calendar_is_named(self):
        self.env["tsq.calendar.exception"].with_user(self.quality).create(
            {"name": "已有的日子", "date": "2027-01-02", "kind": "holiday"}
        )
        wizard = self._wizard(
            [{"name": "测试元旦（虚构）", "date_from": "2027-01-01", "date_to": "2027-01-03"}]
        )
        with self.assertRaisesRegex(ValidationError, "already has 2027-01-02 \\(已有的日子"):
            wizard.action_apply()

    def test_only_a_quality_manager_enters_a_year(self):
        wizard = self._wizard([{"name": "测试（虚构）", "date_from": "2027-01-01"}])
        with self.assertRaises(AccessError):
            wizard.with_user(self.manager).action_apply()

    def test_a_year_is_covered_once_marked_complete(self):
        self._wizard(
            [{"name": "测试元旦（虚构）", "date_from": "2027-01-01"}], mark_complete=False
        ).action_apply()
        year = self.env["tsq.calendar.year"].search([("year", "=", YEAR)])
        self.assertEqual((year.state, year.origin, year.holiday_count), ("missing", "manual", 1))
        self.assertNotIn(YEAR, self.company._tsq_covered_years())
        with self.assertRaises(AccessError):
            year.with_user(self.manager).action_mark_complete()
        year.with_user(self.quality).action_mark_complete()
        self.assertEqual(year.state, "covered")
        self.assertIn(YEAR, self.company._tsq_covered_years())
        # an official year stays complete
        official = self.env["tsq.calendar.year"].search(
            [("year", "=", 2026), ("company_id", "=", False)]
        )
        with self.assertRaisesRegex(ValidationError, "official package"):
            official.with_user(self.quality).action_mark_incomplete()

    def test_an_empty_year_cannot_be_marked_complete(self):
        year = self.env["tsq.calendar.year"].sudo().create({"year": YEAR})
        with self.assertRaisesRegex(ValidationError, "No public holiday of 2027"):
            year.with_user(self.quality).action_mark_complete()

    def test_a_company_year_covers_that_company_only(self):
        other = self.env["res.company"].create({"name": "别家机构"})
        fictitious_year(self.env, self.quality, company=self.company)
        self.assertIn(YEAR, self.company._tsq_covered_years())
        self.assertNotIn(YEAR, other._tsq_covered_years())
        rows = self.env["tsq.calendar.exception"].search([("year", "=", YEAR)])
        self.assertEqual(rows.company_id, self.company)
        self.assertEqual(set(rows.mapped("origin")), {"manual"})


@tagged("post_install", "-at_install")
class TestYearEndGuard(TsqCase):
    def setUp(self):
        super().setUp()
        forget_year(self.env, YEAR)
        self.activity_type = self.env.ref("tech_service_quality.mail_activity_type_calendar_year")

    def _reminders(self):
        return self.env["mail.activity"].search([("activity_type_id", "=", self.activity_type.id)])

    def test_one_reminder_per_missing_year_however_often_it_runs(self):
        Year = self.env["tsq.calendar.year"]
        self.assertEqual(self.company.tsq_calendar_guard_month, 11)
        Year._cron_year_end_guard(today=date(2026, 10, 31))
        self.assertFalse(self._reminders(), "before the guard day nothing is asked")
        self.assertFalse(self.company.sudo()._tsq_missing_years(date(2026, 10, 31)))
        for day in (1, 2, 15, 30):
            Year._cron_year_end_guard(today=date(2026, 11, day))
        reminders = self._reminders()
        managers = self.company._tsq_quality_managers()
        self.assertIn(self.quality, managers)
        self.assertEqual(reminders.user_id, managers)
        self.assertEqual(len(reminders), len(managers), "one per Quality Manager, once")
        self.assertEqual(set(reminders.mapped("res_name")), {"2027"})
        self.assertIn("2027", reminders[0].summary)
        # the banner of the calendar screen and the dashboard says it too
        with freeze_time("2026-11-20 04:00:00"):
            banner = self.env["res.company"].with_user(self.user).tsq_calendar_banner()
        self.assertIn("2027", banner)
        # loading the year ends the reminders and the banner
        fictitious_year(self.env, self.quality)
        self.assertFalse(self._reminders())
        with freeze_time("2026-11-20 04:00:00"):
            self.assertFalse(self.env["res.company"].tsq_calendar_banner())
        Year._cron_year_end_guard(today=date(2026, 12, 1))
        self.assertFalse(self._reminders())

    def test_the_guard_day_is_a_setting(self):
        self.company.write({"tsq_calendar_guard_month": 12, "tsq_calendar_guard_day": 15})
        self.assertFalse(self.company._tsq_missing_years(date(2026, 12, 14)))
        self.assertEqual(self.company._tsq_missing_years(date(2026, 12, 15)), [2027])
        # this year missing is always a problem
        self.assertEqual(self.company._tsq_missing_years(date(2027, 3, 1)), [2027])
        with self.assertRaisesRegex(ValidationError, "month 1–12"):
            self.company.write({"tsq_calendar_guard_month": 2, "tsq_calendar_guard_day": 30})


@tagged("post_install", "-at_install")
class TestProvisionalShown(TsqHttpCase):
    """The client sees the flag in the portal; the manager next to the date."""

    def setUp(self):
        super().setUp()
        forget_year(self.env, YEAR)

    def test_portal_and_form_show_provisional(self):
        self.category.limit_s2_days = 5
        service = self._advance(self._new_service(name="暂定期限服务"), "s2")
        entered_stage_at(service, utc(2026, 12, 29, 10, 0))
        self.assertTrue(service.stage_deadline_provisional)
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/services/{service.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_tsq_provisional", page.text)
        self.assertIn("2027", page.text)
        listing = self.url_open("/my/services")
        self.assertIn("o_tsq_provisional", listing.text)
        self.manager.tz = "Asia/Shanghai"  # deadlines read in the user's time zone
        self.start_tour(
            f"/odoo/action-tech_service_quality.project_project_action_services/{service.id}",
            "tsq_provisional_deadline",
            login="tsq_manager",
        )
        fictitious_year(self.env, self.quality)
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/services/{service.id}")
        self.assertNotIn("o_tsq_provisional", page.text)
