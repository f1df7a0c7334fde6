from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TsqCase


@tagged("post_install", "-at_install")
class TestDeadlines(TsqCase):
    """Each stage has a deadline on the working calendar, a late flag, and an
    activity for its responsible (R5: time limits of every stage)."""

    def _stage_activities(self, service):
        return service.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("tech_service_quality.mail_activity_type_stage_gate")
            )
        )

    def test_passing_a_gate_starts_the_next_stage_clock(self):
        self.category.limit_s2_days = 5
        service = self._new_service()
        first = self._stage_activities(service)
        self.assertEqual(len(first), 1)
        self.assertEqual(first.user_id, self.user)
        self._fill_stage(service)
        self._do_items(service)
        # Fri 13 Feb 2026 10:00 Beijing: 5 working days are 14 Feb (make-up day),
        # 24, 25, 26, 27 Feb (after the Spring Festival): ends 27 Feb 24:00
        with freeze_time("2026-02-13 02:00:00"):
            service.with_user(self.user).action_pass_gate()
        self.assertEqual(service.stage_entered_at, datetime(2026, 2, 13, 2, 0))
        self.assertEqual(service.stage_deadline, datetime(2026, 2, 27, 16, 0))
        activity = self._stage_activities(service)
        self.assertEqual(len(activity), 1, "the S1 activity is done, one for S2 is open")
        # due on the limit's last day, whatever the reader's time zone
        self.assertEqual(activity.date_deadline, date(2026, 2, 27))
        self.assertIn("S2", activity.summary)

    def test_late_flag_and_filter(self):
        self.category.limit_s1_days = 2
        with freeze_time("2026-02-13 02:00:00"):
            service = self._new_service()
        self.assertEqual(service.stage_deadline, datetime(2026, 2, 24, 16, 0))
        Project = self.env["project.project"].with_user(self.manager)
        with freeze_time("2026-02-24 15:59:00"):
            service.invalidate_recordset(["is_stage_late"])
            self.assertFalse(service.is_stage_late)
            self.assertNotIn(service, Project.search([("is_stage_late", "=", True)]))
        with freeze_time("2026-02-24 16:01:00"):
            service.invalidate_recordset(["is_stage_late"])
            self.assertTrue(service.is_stage_late)
            self.assertIn(service, Project.search([("is_stage_late", "=", True)]))
            self.assertNotIn(service, Project.search([("is_stage_late", "=", False)]))

    def test_response_late(self):
        # received Fri 13 Feb 16:00 Beijing: 24 clock hours -> Sat 14 Feb 16:00
        service = self._new_service(inquiry_received_at=datetime(2026, 2, 13, 8, 0))
        with freeze_time("2026-02-14 07:59:00"):
            service.invalidate_recordset(["is_response_late"])
            self.assertFalse(service.is_response_late)
        service.first_response_at = datetime(2026, 2, 14, 8, 30)
        service.invalidate_recordset(["is_response_late"])
        self.assertTrue(service.is_response_late)
        on_time = self._new_service(inquiry_received_at=datetime(2026, 2, 13, 8, 0))
        on_time.first_response_at = datetime(2026, 2, 14, 8, 0)
        self.assertFalse(on_time.is_response_late)
