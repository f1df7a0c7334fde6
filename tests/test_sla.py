"""Complaints on the helpdesk and their SLA clocks (R6.4): deadlines across the
Spring Festival and the National Day week, pauses, warnings sent once, the breach
minute, recomputation after a calendar or policy change, the complaint workflow
(close gate, validity, improvement action, feedback, rating, reopening), and a
scan whose query count does not depend on the number of open tickets."""

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TsqCase

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*args):
    """Naive UTC instant of a Beijing wall time."""
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def frozen(*args):
    return freeze_time(utc(*args))


class SlaCase(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.category = cls.env.ref("tech_service_quality.helpdesk_category_complaint")
        cls.aftersales = cls.env.ref("tech_service_quality.helpdesk_category_aftersales")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaint desk",
                "user_id": cls.manager.id,
                "user_ids": [Command.set([cls.user.id, cls.manager.id])],
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.response_policy = cls.env.ref("tech_service_quality.sla_policy_complaint_response")
        cls.resolution_policy = cls.env.ref("tech_service_quality.sla_policy_complaint_resolution")
        cls.warning_type = cls.env.ref("tech_service_quality.mail_activity_type_sla_warning")

    @classmethod
    def _complaint(cls, received, category=None, **vals):
        values = {
            "name": "报告数据有误",
            "description": "<p>检测报告第 3 页数据与原始记录不一致。</p>",
            "category_id": (category or cls.category).id,
            "team_id": cls.team.id,
            "user_id": cls.user.id,
            "partner_id": cls.contact_a.id,
            "tsq_received_at": received,
        }
        values.update(vals)
        return cls.Ticket.sudo().create(values).with_user(cls.user)

    @staticmethod
    def _clock(ticket, policy):
        return ticket.sudo().tsq_clock_ids.filtered(lambda c: c.policy_id == policy)

    def _closed_complaint(self, received, closed, filed=None):
        """A complaint received at ``received``, filed at ``filed`` (by default
        then), handled and closed at ``closed`` (Beijing wall times)."""
        with frozen(*(filed or received)):
            ticket = self._complaint(utc(*received))
        with frozen(*closed):
            self._handle(ticket)
            ticket.stage_id = self.stage_done
        return ticket

    def _handle(self, ticket, validity="invalid"):
        """Respond, judge, resolve and give feedback, as the responsible."""
        ticket.write({"tsq_response_message": "已受理"})
        if not ticket.tsq_responded_at:
            ticket.action_tsq_respond()
        ticket.write({"tsq_validity_reason": "依据合同约定", "tsq_resolution": "补发更正报告"})
        ticket._tsq_judge(validity)
        ticket.write({"tsq_feedback_message": "已补发更正报告"})
        ticket.action_tsq_send_feedback()

    def _warnings(self, ticket):
        return ticket.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.warning_type
        )


@tagged("post_install", "-at_install")
class TestSlaDeadlines(SlaCase):
    def test_spring_festival_24_hours_and_7_working_days(self):
        """R6.4's example: received Fri 13 Feb 2026 16:00 -> respond by Sat 14 Feb
        16:00 (24 clock hours); handle by Mon 2 Mar 24:00 (14 Feb and 28 Feb are
        make-up working days, 15-23 Feb are off)."""
        with frozen(2026, 2, 13, 16, 5):
            ticket = self._complaint(utc(2026, 2, 13, 16, 0))
        self.assertEqual(self._clock(ticket, self.response_policy).deadline, utc(2026, 2, 14, 16))
        resolution = self._clock(ticket, self.resolution_policy)
        self.assertEqual(resolution.deadline, utc(2026, 3, 3, 0, 0))
        self.assertEqual(resolution.deadline_label, "Mar 2, 2026 24:00", "as R6.4 states it")
        self.assertEqual(
            self.company._tsq_format_instant(resolution.deadline, lang="zh_CN"),
            "2026年3月2日 24:00",
        )
        self.assertEqual(
            self._clock(ticket, self.response_policy).deadline_label, "Feb 14, 2026 16:00"
        )
        self.assertEqual(ticket.tsq_sla_deadline, utc(2026, 2, 14, 16))

    def test_national_day_week(self):
        """Received Wed 30 Sep 2026: 1-7 Oct are off, so 7 working days end on 15 Oct."""
        with frozen(2026, 9, 30, 10, 5):
            ticket = self._complaint(utc(2026, 9, 30, 10, 0))
        self.assertEqual(self._clock(ticket, self.response_policy).deadline, utc(2026, 10, 1, 10))
        self.assertEqual(
            self._clock(ticket, self.resolution_policy).deadline, utc(2026, 10, 16, 0, 0)
        )

    def test_business_hours_day_end(self):
        """With the company setting, a day limit ends at the end of business hours."""
        self.company.tsq_day_limit_end = "business"
        with frozen(2026, 2, 13, 16, 5):
            ticket = self._complaint(utc(2026, 2, 13, 16, 0))
        self.assertEqual(
            self._clock(ticket, self.resolution_policy).deadline, utc(2026, 3, 2, 18, 0)
        )

    def test_pause_and_resume_move_the_deadline_by_paused_working_time(self):
        """Waiting for the complainant from Tue 10:00 to Wed 11:00 pauses 9 working
        hours (10-12, 13-18, 9-11): the deadline moves from Thu 19 Mar 00:00 (7 working
        days after Mon 9 Mar) by 9 working hours, to Fri 20 Mar 10:00."""
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        resolution = self._clock(ticket, self.resolution_policy)
        self.assertEqual(resolution.deadline, utc(2026, 3, 19, 0, 0))
        with frozen(2026, 3, 10, 10, 0):
            ticket.stage_id = self.stage_awaiting
        with frozen(2026, 3, 10, 15, 0):
            self.env["tsq.sla.clock"]._cron_scan()
            self.env["tsq.sla.clock"]._recompute(resolution)
        self.assertEqual(resolution.state, "paused")
        self.assertEqual(resolution.paused_since, utc(2026, 3, 10, 10, 0))
        self.assertFalse(resolution.next_check_at, "a paused clock is not scanned")
        with frozen(2026, 3, 11, 11, 0):
            ticket.stage_id = self.stage_progress
        self.assertEqual(resolution.state, "running")
        self.assertAlmostEqual(resolution.paused_hours, 9.0)
        self.assertEqual(resolution.deadline, utc(2026, 3, 20, 10, 0))
        # a pause over a weekend moves a working-day deadline by nothing
        with frozen(2026, 3, 13, 18, 0):
            ticket.stage_id = self.stage_awaiting
        with frozen(2026, 3, 16, 9, 0):
            ticket.stage_id = self.stage_progress
        self.assertAlmostEqual(resolution.paused_hours, 9.0)
        self.assertEqual(resolution.deadline, utc(2026, 3, 20, 10, 0))

    def test_clock_hours_pause_moves_by_elapsed_time(self):
        policy = self.response_policy
        policy.pause_stage_ids = self.stage_awaiting
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with frozen(2026, 3, 9, 10, 0):
            ticket.stage_id = self.stage_awaiting
        with frozen(2026, 3, 9, 12, 30):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self._clock(ticket, policy).deadline, utc(2026, 3, 10, 11, 30))

    def test_breach_at_the_deadline_minute_not_before(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        response = self._clock(ticket, self.response_policy)
        Clock = self.env["tsq.sla.clock"]
        with frozen(2026, 3, 10, 8, 59):
            Clock._cron_scan()
        self.assertEqual(response.state, "running")
        self.assertFalse(ticket.tsq_sla_breached)
        with frozen(2026, 3, 10, 9, 0):
            Clock._cron_scan()
        self.assertEqual(response.state, "breached")
        self.assertEqual(response.breached_at, utc(2026, 3, 10, 9, 0))
        self.assertTrue(ticket.tsq_sla_breached)
        self.assertEqual(ticket.tsq_sla_status, "breached")
        self.assertIn(ticket, self.Ticket.search([("tsq_sla_breached", "=", True)]))

    def test_met_when_answered_in_time_even_if_the_scan_is_late(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with frozen(2026, 3, 10, 8, 30):
            ticket.write({"tsq_response_message": "已受理"})
            ticket.action_tsq_respond()
        response = self._clock(ticket, self.response_policy)
        with frozen(2026, 3, 12, 9, 0):
            self.env["tsq.sla.clock"]._cron_scan()
        self.assertEqual((response.state, response.reached_at), ("met", utc(2026, 3, 10, 8, 30)))
        self.assertAlmostEqual(response.used_hours, 23.5)


@tagged("post_install", "-at_install")
class TestSlaWarnings(SlaCase):
    def test_each_warning_fires_once(self):
        """24 h from Mon 09:00: 50 % at 21:00, 75 % at Tue 03:00, breach at Tue 09:00.
        Each is sent once, however often the scan runs; from 75 % on, the team's
        manager is told too."""
        Clock = self.env["tsq.sla.clock"]
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        response = self._clock(ticket, self.response_policy)
        self.assertEqual(response.next_check_at, utc(2026, 3, 9, 21, 0))
        with frozen(2026, 3, 9, 20, 59):
            Clock._cron_scan()
        self.assertFalse(self._warnings(ticket))
        for minute in (0, 30):
            with frozen(2026, 3, 9, 21, minute):
                Clock._cron_scan()
        warnings = self._warnings(ticket)
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings.user_id, self.user)
        self.assertEqual(response.warned_level, 50)
        self.assertEqual(ticket.tsq_sla_status, "at_risk")
        for hour in (3, 4, 8):
            with frozen(2026, 3, 10, hour, 0):
                Clock._cron_scan()
        warnings = self._warnings(ticket) - warnings
        self.assertEqual(warnings.user_id, self.user | self.manager, "75 %: escalated")
        self.assertEqual(response.warned_level, 75)
        for minute in (0, 5, 10):
            with frozen(2026, 3, 10, 9, minute):
                Clock._cron_scan()
        breach = self._warnings(ticket).filtered(lambda a: "breached" in (a.summary or ""))
        self.assertEqual(breach.user_id, self.user | self.manager)
        self.assertEqual(len(breach), 2)
        self.assertEqual(response.warned_level, 100)
        self.assertFalse(response.next_check_at)

    def test_stage_change_catches_a_breach(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with frozen(2026, 3, 10, 9, 30):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self._clock(ticket, self.response_policy).state, "breached")
        self.assertTrue(self._warnings(ticket))

    def test_levels_are_configurable(self):
        self.response_policy.write({"warn_level_1": 0, "warn_level_2": 90})
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        self.assertEqual(
            self._clock(ticket, self.response_policy).next_check_at, utc(2026, 3, 10, 6, 36)
        )
        with self.assertRaises(ValidationError):
            self.response_policy.warn_level_2 = 120

    def test_scan_query_count_does_not_grow_with_open_tickets(self):
        """The scan reads only the clocks whose next event has come, through an
        index: 2 due clocks among 3 or among 40 open tickets cost the same queries."""
        Clock = self.env["tsq.sla.clock"]

        def scan_queries(open_count):
            with frozen(2026, 3, 9, 9, 0):
                for _index in range(open_count):
                    self._complaint(utc(2026, 3, 9, 9, 0))
            with frozen(2026, 3, 5, 9, 0):
                due = self._complaint(utc(2026, 3, 5, 9, 0)) | self._complaint(
                    utc(2026, 3, 5, 9, 0)
                )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with frozen(2026, 3, 9, 9, 30):
                scanned = Clock._cron_scan()
                self.env.flush_all()
            self.assertEqual(scanned.ticket_id, due)
            return self.env.cr.sql_log_count - before

        scan_queries(3)  # warms the registry caches
        few = scan_queries(3)
        many = scan_queries(40)
        self.assertEqual(few, many)


@tagged("post_install", "-at_install")
class TestSlaRecompute(SlaCase):
    def test_new_holiday_moves_open_deadlines_only(self):
        closed = self._closed_complaint((2026, 3, 2, 9, 0), (2026, 3, 3, 9, 0))
        closed_clock = self._clock(closed, self.resolution_policy)
        closed_deadline = closed_clock.deadline
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        resolution = self._clock(ticket, self.resolution_policy)
        self.assertEqual(resolution.deadline, utc(2026, 3, 19, 0, 0))
        with frozen(2026, 3, 10, 9, 0):
            self.env["tsq.calendar.exception"].with_user(self.quality).create(
                {
                    "name": "公司停电检修日",
                    "date": "2026-03-12",
                    "kind": "holiday",
                    "company_id": self.company.id,
                }
            )
        self.assertEqual(resolution.deadline, utc(2026, 3, 20, 0, 0))
        self.assertEqual(closed_clock.deadline, closed_deadline, "a met clock keeps its deadline")
        self.assertEqual(closed_clock.state, "met")

    def test_policy_change_recomputes_open_clocks_and_asked_for_closed_ones(self):
        closed = self._closed_complaint((2026, 3, 2, 9, 0), (2026, 3, 11, 9, 0))
        closed_clock = self._clock(closed, self.resolution_policy)
        self.assertEqual(closed_clock.state, "met")  # 7 days: 11 Mar 24:00
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with frozen(2026, 3, 9, 10, 0):
            self.resolution_policy.with_user(self.quality).amount = 5
        self.assertEqual(self._clock(ticket, self.resolution_policy).deadline, utc(2026, 3, 17))
        self.assertEqual(closed_clock.state, "met", "closed tickets are not rewritten")
        with frozen(2026, 3, 9, 10, 0):
            self.resolution_policy.with_user(self.quality).action_recompute_all()
        self.assertEqual(closed_clock.state, "breached", "recomputed on request")
        with self.assertRaises(AccessError):
            self.resolution_policy.with_user(self.manager).action_recompute_all()

    def test_policy_matching_follows_the_ticket(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0), category=self.aftersales)
        self.assertEqual(ticket.sudo().tsq_clock_ids.policy_id.indicator_role, "request_response")
        with frozen(2026, 3, 9, 10, 0):
            ticket.category_id = self.category
        self.assertEqual(
            ticket.sudo().tsq_clock_ids.policy_id, self.response_policy | self.resolution_policy
        )

    def test_first_public_reply_of_an_employee_is_the_first_response(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0), category=self.aftersales)
        with frozen(2026, 3, 9, 10, 0):
            ticket.message_post(body="内部备注", subtype_xmlid="mail.mt_note")
        self.assertFalse(ticket.tsq_responded_at)
        with frozen(2026, 3, 9, 11, 0):
            ticket.message_post(
                body="您好，已收到", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(ticket.tsq_responded_at, utc(2026, 3, 9, 11, 0))
        self.assertEqual(ticket.sudo().tsq_clock_ids.state, "met")


@tagged("post_install", "-at_install")
class TestComplaintFlow(SlaCase):
    def test_a_complaint_cannot_close_without_its_handling_record(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with self.assertRaises(ValidationError) as caught:
            ticket.stage_id = self.stage_done
        message = str(caught.exception)
        for part in ("acceptance reply", "validity judgment", "resolution", "feedback"):
            self.assertIn(part, message)
        self.assertEqual(ticket.stage_id, self.stage_new, "nothing half-written")
        with frozen(2026, 3, 9, 15, 0):
            self._handle(ticket)
            ticket.stage_id = self.stage_done
        resolution = self._clock(ticket, self.resolution_policy)
        self.assertEqual((resolution.state, resolution.reached_at), ("met", utc(2026, 3, 9, 15)))
        self.assertEqual(ticket.tsq_sla_status, "met")

    def test_feedback_needs_resolution_and_judgment(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        ticket.tsq_feedback_message = "已处理"
        with self.assertRaisesExactly(UserError) as caught:
            ticket.action_tsq_send_feedback()
        self.assertIn("resolution", str(caught.exception))
        self.assertFalse(ticket.tsq_feedback_at)

    def test_valid_complaint_proposes_one_improvement_action(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with self.assertRaisesExactly(UserError):
            ticket.action_tsq_judge_valid()  # no reason yet
        ticket.write({"tsq_validity_reason": "报告确有错误", "tsq_root_cause": "复核缺失"})
        ticket.action_tsq_judge_valid()
        action = ticket.sudo().tsq_action_id
        self.assertTrue(action)
        self.assertEqual(action.tsq_ticket_id, ticket, "the action links back to its source")
        self.assertIn("复核缺失", action.description)
        self.assertEqual(ticket.sudo()._tsq_propose_action(), action, "once per complaint")
        self.assertEqual((ticket.tsq_validity, ticket.tsq_judged_by_id), ("valid", self.user))

    def test_system_fields_cannot_be_written(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        for values in (
            {"tsq_responded_at": "2026-03-09 01:00:00"},
            {"tsq_validity": "invalid"},
            {"tsq_satisfaction": "5"},
        ):
            with self.assertRaisesExactly(UserError):
                ticket.write(values)
        clock = ticket.sudo().tsq_clock_ids[:1].with_user(self.manager)
        with self.assertRaisesExactly(UserError):
            clock.write({"deadline": "2030-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            clock.unlink()
        with self.assertRaisesExactly(UserError):
            ticket.sudo().tsq_stage_log_ids[:1].with_user(self.manager).write({"closed": True})

    def test_received_time_is_fixed_once_answered(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
            with self.assertRaises(ValidationError):
                ticket.tsq_received_at = utc(2026, 3, 10, 9, 0)  # in the future
            ticket.tsq_received_at = utc(2026, 3, 9, 8, 0)
            ticket.write({"tsq_response_message": "已受理"})
            ticket.action_tsq_respond()
            with self.assertRaisesExactly(UserError):
                ticket.tsq_received_at = utc(2026, 3, 9, 7, 0)

    def test_reopening_is_recorded_and_the_clock_runs_again(self):
        ticket = self._closed_complaint((2026, 3, 9, 9, 0), (2026, 3, 10, 9, 0))
        resolution = self._clock(ticket, self.resolution_policy)
        self.assertEqual(resolution.state, "met")
        with frozen(2026, 3, 16, 9, 0):  # reopened after four closed working days
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.tsq_reopen_count, 1)
        log = ticket.tsq_stage_log_ids.sorted("id")[-1]
        self.assertTrue(log.reopened)
        self.assertEqual(resolution.state, "running")
        self.assertFalse(resolution.reached_at)
        # the closed days (Tue 10 Mar 09:00 -> Mon 16 Mar 09:00) do not count
        self.assertAlmostEqual(resolution.paused_hours, 32.0)
        self.assertEqual(
            [log.stage_id for log in ticket.tsq_stage_log_ids.sorted("id")],
            [self.stage_new, self.stage_done, self.stage_progress],
        )

    def test_rating_feeds_the_satisfaction_indicator_once(self):
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with self.assertRaisesExactly(UserError):
            ticket.sudo()._tsq_rate(4, "", self.contact_a)  # no feedback yet
        self._handle(ticket)
        ticket.sudo()._tsq_rate(4, "满意", self.contact_a)
        feedback = self.env["tsq.feedback"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(
            (feedback.occasion, feedback.score, feedback.partner_id),
            ("complaint", 4, self.client_a),
        )
        with self.assertRaisesExactly(UserError):
            ticket.sudo()._tsq_rate(5, "", self.contact_a)
        with self.assertRaisesExactly(UserError):
            ticket.sudo()._tsq_rate(9, "", self.contact_a)

    def test_sla_analysis_and_xlsx(self):
        with frozen(2026, 3, 9, 9, 0):
            late = self._complaint(utc(2026, 3, 9, 9, 0))
            on_time = self._complaint(utc(2026, 3, 9, 9, 0))
        with frozen(2026, 3, 9, 10, 0):
            on_time.write({"tsq_response_message": "已受理"})
            on_time.action_tsq_respond()
        with frozen(2026, 3, 10, 10, 0):
            self.env["tsq.sla.clock"]._cron_scan()
        self.env.flush_all()
        Report = self.env["tsq.sla.report"].with_user(self.manager)
        rows = Report.search(
            [("ticket_id", "in", (late | on_time).ids), ("target", "=", "response")]
        )
        self.assertEqual(len(rows), 2)
        [(count, breached, rate, mean)] = Report._read_group(
            [("id", "in", rows.ids)],
            [],
            ["clock_count:sum", "breached_count:sum", "breach_rate:avg", "response_hours:avg"],
        )
        self.assertEqual((count, breached, rate), (2, 1, 50.0))
        self.assertAlmostEqual(mean, 1.0)
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render("tech_service_quality.action_report_sla_xlsx", rows.ids)
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        summary = book.worksheets[0]
        data = [row for row in summary.iter_rows(min_row=2, values_only=True) if row[0]]
        self.assertEqual(len(data), 1)
        self.assertEqual(data[0][0], "2026-03")
        self.assertEqual(data[0][4:8], (2, 1, 1, 50))
        detail = book.worksheets[1]
        self.assertEqual(detail.max_row, 3)

    def test_complaint_by_email_on_the_complaint_team(self):
        """A message to the complaint team's alias becomes a complaint with its clocks
        (the team's default request kind), received when the mail arrived."""
        self.team.tsq_kind = "complaint"
        with frozen(2026, 3, 9, 9, 0):
            ticket = self.Ticket.message_new(
                {
                    "subject": "投诉：报告延期",
                    "from": "甲联系人 <a@example.com>",
                    "email_from": "a@example.com",
                    "body": "<p>报告比合同约定晚了一周。</p>",
                },
                custom_values={"team_id": self.team.id},
            )
        self.assertTrue(ticket.is_complaint)
        self.assertEqual(ticket.tsq_received_at, utc(2026, 3, 9, 9, 0))
        self.assertEqual(
            ticket.sudo().tsq_clock_ids.policy_id, self.response_policy | self.resolution_policy
        )
