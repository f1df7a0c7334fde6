from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PNG_1PX, TsqCase


@tagged("post_install", "-at_install")
class TestCalendar(TsqCase):
    """Time limits land on the right minute across holidays and make-up days
    (2026 Spring Festival: 15-23 Feb off, Sat 14 Feb and Sat 28 Feb working)."""

    def test_official_2026_schedule_is_loaded(self):
        cal = self.company._tsq_work_calendar()
        self.assertFalse(cal.is_working_day(date(2026, 2, 16)))  # Monday, Spring Festival
        self.assertTrue(cal.is_working_day(date(2026, 2, 14)))  # Saturday, make-up day
        self.assertTrue(cal.is_working_day(date(2026, 2, 28)))
        self.assertFalse(cal.is_working_day(date(2026, 10, 5)))  # National Day
        self.assertTrue(cal.is_working_day(date(2026, 10, 10)))  # Saturday, make-up day

    def test_24_clock_hours_response_deadline(self):
        # received Fri 13 Feb 2026 16:00 Beijing time = 08:00 UTC
        service = self._new_service(inquiry_received_at=datetime(2026, 2, 13, 8, 0))
        self.assertEqual(service.response_deadline, datetime(2026, 2, 14, 8, 0))

    def test_7_working_days_across_spring_festival(self):
        """The standard's own example: 7 working days from Fri 13 Feb 16:00 are
        14 Feb, 24-28 Feb and Mon 2 Mar: the limit ends Mon 2 Mar 24:00."""
        deadline = self.company._tsq_add_limit(datetime(2026, 2, 13, 8, 0), 7, "working_days")
        self.assertEqual(deadline, datetime(2026, 3, 2, 16, 0))  # 3 Mar 00:00 Beijing

    def test_business_hours_setting(self):
        self.company.tsq_day_limit_end = "business"
        deadline = self.company._tsq_add_limit(datetime(2026, 2, 13, 8, 0), 7, "working_days")
        self.assertEqual(deadline, datetime(2026, 3, 2, 10, 0))  # Mon 2 Mar 18:00 Beijing

    def test_working_hours_use_make_up_saturday(self):
        # Fri 13 Feb 17:00 Beijing + 3 working hours: 1 h on Friday, then Sat 14 Feb
        # (make-up day, Monday's hours 9-12): ends Sat 11:00 Beijing = 03:00 UTC
        deadline = self.company._tsq_add_limit(datetime(2026, 2, 13, 9, 0), 3, "working_hours")
        self.assertEqual(deadline, datetime(2026, 2, 14, 3, 0))

    def test_unknown_limit_unit_raises(self):
        """One rule for every limit: an unknown unit is refused, never counted as
        working days."""
        for amount in (7, 0):
            with self.assertRaises(ValidationError):
                self.company._tsq_add_limit(datetime(2026, 2, 13, 8, 0), amount, "days")
        with self.assertRaises(ValidationError):
            self.company._tsq_limit(datetime(2026, 2, 13, 8, 0), 7, "fortnights")

    def test_national_day_week(self):
        # Wed 30 Sep 2026 10:00 Beijing + 7 working days: 8, 9, 10 (make-up), 12-15 Oct
        deadline = self.company._tsq_add_limit(datetime(2026, 9, 30, 2, 0), 7, "working_days")
        self.assertEqual(deadline, datetime(2026, 10, 15, 16, 0))

    def test_company_holiday_changes_the_limit(self):
        self.env["tsq.calendar.exception"].create(
            {
                "name": "公司年会",
                "date": "2026-03-02",
                "kind": "holiday",
                "company_id": self.company.id,
            }
        )
        deadline = self.company._tsq_add_limit(datetime(2026, 2, 13, 8, 0), 7, "working_days")
        self.assertEqual(deadline, datetime(2026, 3, 3, 16, 0))  # Tue 3 Mar 24:00 Beijing

    def test_objection_deadline_on_the_calendar(self):
        self.category.objection_days = 7
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        with freeze_time("2026-02-13 08:00:00"):
            acceptance.sudo()._raise_objection("缺少附图", "portal")
        self.assertEqual(acceptance.objection_deadline, datetime(2026, 3, 2, 16, 0))

    def test_return_visit_due_after_acceptance(self):
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        with freeze_time("2026-02-13 17:00:00"):  # 14 Feb 01:00 in Beijing
            acceptance.sudo()._accept("甲联系人", PNG_1PX, "portal")
        visit = service.return_visit_ids
        self.assertEqual(visit.due_date, date(2026, 3, 16))  # 14 Feb + 30 days

    def test_new_holiday_moves_open_deadlines_only(self):
        self.category.limit_s2_days = 5
        open_service = self._advance(self._new_service(), "s2")
        self.env.cr.execute(
            "UPDATE project_project SET stage_entered_at = %s WHERE id = %s",
            (datetime(2026, 3, 2, 2, 0), open_service.id),
        )
        open_service.invalidate_recordset()
        self.env.add_to_compute(open_service._fields["stage_deadline"], open_service)
        # Mon 2 Mar 10:00 Beijing + 5 working days: 3-6, 9 Mar -> Mon 9 Mar 24:00
        self.assertEqual(open_service.stage_deadline, datetime(2026, 3, 9, 16, 0))
        answered = open_service.response_deadline
        self.env["tsq.calendar.exception"].create(
            {
                "name": "公司调休",
                "date": "2026-03-04",
                "kind": "holiday",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(open_service.stage_deadline, datetime(2026, 3, 10, 16, 0))
        # the inquiry was answered: its limit stays the one it was judged by
        self.assertEqual(open_service.response_deadline, answered)
