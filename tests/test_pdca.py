"""Continuous improvement (R6.5, PDCA): every source proposes one action, once,
linked both ways (acceptance objections, SLA breaches per policy); an action
cannot start without a deadline nor close without its Plan, Do and a Check
decided on evidence; a closed action is a record; overdue actions are reminded
once; an indicator-driven action shows the indicator in the following months."""

from contextlib import contextmanager
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import TsqCase
from .test_sla import SlaCase, frozen, utc


class RefusalMixin:
    @contextmanager
    def _refused(self, exception, text):
        """``assertRaisesExactly`` (Odoo's ``assertRaises``: the failed write is
        rolled back, cache included; no subclass of ``exception``) with the error's
        text checked."""
        with self.assertRaisesExactly(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))


@tagged("post_install", "-at_install")
class TestPdcaObjection(TsqCase):
    def _actions_of(self, acceptance):
        return self.env["mgmtsystem.action"].search([("tsq_acceptance_id", "=", acceptance.id)])

    def test_objection_proposes_one_action_per_submission(self):
        service = self._advance(self._new_service(), "s5")
        first = self._submit_for_acceptance(service, "检索报告")
        first.sudo()._raise_objection("检索范围缺少日本专利文献", "recorded")
        action = first.tsq_action_id
        self.assertTrue(action)
        self.assertEqual(action.tsq_acceptance_id, first, "the action links back to its source")
        self.assertEqual(action.tsq_source_kind, "objection")
        self.assertEqual(action.tsq_source_ref, first)
        self.assertEqual(action.user_id, self.user, "the service's responsible owns it")
        self.assertIn("日本专利文献", action.description)
        self.assertEqual(first._tsq_propose_action(), action, "once per submission")
        self.assertEqual(self._actions_of(first), action)
        opened = action.action_tsq_open_source()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("tsq.acceptance", first.id))
        # the objection is handled, a revised delivery is submitted and objected to
        first.with_user(self.user).write({"objection_outcome": "补充日本专利检索"})
        first.with_user(self.user).action_close_objection()
        second = self._submit_for_acceptance(service, "检索报告（修订版）")
        self.assertFalse(second.tsq_action_id)
        second.sudo()._raise_objection("附图编号仍不一致", "recorded")
        self.assertTrue(second.tsq_action_id)
        self.assertNotEqual(second.tsq_action_id, action)
        self.assertEqual(second.tsq_action_id.tsq_acceptance_id, second)
        self.assertEqual(first.tsq_action_id, action, "the first submission keeps its own")
        self.assertEqual(self._actions_of(first), action)
        self.assertEqual(self._actions_of(second), second.tsq_action_id)

    def test_accepted_submission_proposes_nothing(self):
        service = self._advance(self._new_service(), "s6")
        acceptance = service.acceptance_ids
        self.assertEqual(acceptance.state, "accepted")
        self.assertFalse(acceptance.tsq_action_id)
        self.assertFalse(self._actions_of(acceptance))

    def test_every_source_kind_is_registered_with_its_link(self):
        """Each kind of source (but "manual") has a link to its record, and each
        link a kind: a domain that adds a source registers both, in the order
        the lists and filters show."""
        Action = self.env["mgmtsystem.action"]
        kinds = [value for value, _label in Action._fields["tsq_source_kind"].selection]
        links = Action._tsq_source_links()
        self.assertEqual(set(kinds) - {"manual"}, {kind for _name, kind in links})
        self.assertEqual(kinds[-1], "manual")
        for name, _kind in links:
            self.assertEqual(Action._fields[name].type, "many2one", name)
        self.assertEqual(len({name for name, _kind in links}), len(links))
        self.assertEqual(
            kinds,
            [
                "complaint",
                "sla_breach",
                "objection",
                "audit_finding",
                "indicator",
                "supplier_evaluation",
                "external_evaluation",
                "conformance",
                "manual",
            ],
        )


@tagged("post_install", "-at_install")
class TestPdcaSlaBreach(SlaCase):
    def _actions_of(self, clock):
        return self.env["mgmtsystem.action"].search([("tsq_sla_clock_id", "=", clock.id)])

    def test_complaint_policies_propose_by_default(self):
        self.assertTrue(self.response_policy.propose_action_on_breach)
        self.assertTrue(self.resolution_policy.propose_action_on_breach)
        self.assertFalse(
            self.env.ref(
                "tech_service_quality.sla_policy_aftersales_response"
            ).propose_action_on_breach
        )

    def test_breach_proposes_once(self):
        Clock = self.env["tsq.sla.clock"]
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        response = self._clock(ticket, self.response_policy)
        with frozen(2026, 3, 10, 8, 59):
            Clock._cron_scan()
        self.assertFalse(response.tsq_action_id, "not breached yet")
        with frozen(2026, 3, 10, 9, 0):
            Clock._cron_scan()
        self.assertEqual(response.state, "breached")
        action = response.tsq_action_id
        self.assertTrue(action)
        self.assertEqual(action.tsq_sla_clock_id, response)
        self.assertEqual(action.tsq_source_kind, "sla_breach")
        self.assertEqual(action.user_id, self.user, "the ticket's responsible owns it")
        self.assertIn("Mar 10, 2026 09:00", action.description)
        # rerunning the scan, recomputing the clock: still one action
        for minute in (5, 30):
            with frozen(2026, 3, 10, 9, minute):
                Clock._cron_scan()
        with frozen(2026, 3, 10, 10, 0):
            Clock._recompute(response)
            self.response_policy.action_recompute_all()
        self.assertEqual(self._actions_of(response), action)
        self.assertEqual(response._tsq_propose_action(), action)
        resolution = self._clock(ticket, self.resolution_policy)
        self.assertFalse(resolution.tsq_action_id, "a clock still running proposes nothing")

    def test_one_open_action_per_complaint(self):
        """Response breached, then handling breached, then judged valid: one
        action, which each later source joins (with a note) while it is open."""
        Clock = self.env["tsq.sla.clock"]
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        with frozen(2026, 3, 10, 9, 0):
            Clock._cron_scan()
        response = self._clock(ticket, self.response_policy)
        action = response.tsq_action_id
        self.assertTrue(action)
        with frozen(2026, 3, 30, 9, 0):
            Clock._cron_scan()
            resolution = self._clock(ticket, self.resolution_policy)
            self.assertEqual(resolution.state, "breached")
            self.assertEqual(resolution.tsq_action_id, action, "joins the open action")
            self._handle(ticket, "valid")
        self.assertEqual(ticket.sudo().tsq_action_id, action)
        self.assertEqual(
            self.env["mgmtsystem.action"].search_count(
                [
                    "|",
                    ("tsq_ticket_id", "=", ticket.id),
                    ("tsq_sla_clock_id.ticket_id", "=", ticket.id),
                ]
            ),
            1,
        )
        notes = action.message_ids.mapped("body")
        self.assertTrue(any("breached too" in (n or "") for n in notes))
        self.assertTrue(any("judged valid" in (n or "") for n in notes))

    def test_policy_flag_off_proposes_nothing(self):
        self.response_policy.propose_action_on_breach = False
        with frozen(2026, 3, 9, 9, 0):
            ticket = self._complaint(utc(2026, 3, 9, 9, 0))
        response = self._clock(ticket, self.response_policy)
        with frozen(2026, 3, 10, 9, 0):
            self.env["tsq.sla.clock"]._cron_scan()
        self.assertEqual(response.state, "breached")
        self.assertFalse(response.tsq_action_id)
        self.assertFalse(self._actions_of(response))


@tagged("post_install", "-at_install")
class TestPdcaCycle(RefusalMixin, TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Action = cls.env["mgmtsystem.action"]
        cls.stage_open = cls.env.ref("mgmtsystem_action.stage_open")
        cls.stage_close = cls.env.ref("mgmtsystem_action.stage_close")
        cls.stage_cancel = cls.env.ref("mgmtsystem_action.stage_cancel")
        cls.overdue_type = cls.env.ref("tech_service_quality.mail_activity_type_action_overdue")

    def _action(self, owner=None, **vals):
        return self.Action.with_user(self.manager).create(
            {
                "name": "报告校核遗漏",
                "type_action": "correction",
                "user_id": (owner or self.user).id,
                **vals,
            }
        )

    def test_start_needs_a_deadline(self):
        action = self._action()
        with self._refused(ValidationError, "deadline"):
            action.write({"stage_id": self.stage_open.id})
        action.write({"date_deadline": date.today() + timedelta(days=30)})
        action.write({"stage_id": self.stage_open.id})
        self.assertEqual(action.stage_id, self.stage_open)
        self.assertTrue(action.date_open)
        # cancelling needs no plan
        other = self._action()
        other.write({"stage_id": self.stage_cancel.id})
        self.assertEqual(other.stage_id, self.stage_cancel)

    def test_close_refused_with_the_missing_items_listed(self):
        action = self._action(date_deadline=date.today() + timedelta(days=30))
        action.write({"stage_id": self.stage_open.id})
        with self.assertRaises(ValidationError) as caught:
            action.write({"stage_id": self.stage_close.id})
        message = str(caught.exception)
        for item in (
            "Plan: the root cause",
            "Plan: the measures",
            "Do: when the measures were carried out",
            "Check: the effectiveness decision",
            "Check: the evidence",
        ):
            self.assertIn(item, message)
        self.assertNotIn("Plan: the deadline", message)
        self.assertEqual(action.stage_id, self.stage_open)
        # the owner (a Service User) plans and does
        mine = action.with_user(self.user)
        mine.write({"tsq_cause": "校核表未列样品编号核对", "tsq_measures": "校核表增加核对项"})
        with self._refused(UserError, "Describe what was done"):
            mine.action_tsq_mark_done()
        mine.write({"tsq_do_notes": "校核表 B 版已发布"})
        mine.action_tsq_mark_done()
        self.assertTrue(action.tsq_done_at)
        with self.assertRaises(ValidationError) as caught:
            action.write({"stage_id": self.stage_close.id})
        message = str(caught.exception)
        self.assertNotIn("Plan:", message)
        self.assertNotIn("Do:", message)
        self.assertIn("Check: the effectiveness decision", message)
        # the owner does not judge their own work: a manager checks
        with self.assertRaises(AccessError):
            mine.write({"tsq_effective": "effective"})
        checker = action.with_user(self.manager)
        checker.write({"tsq_effective": "effective"})
        self.assertEqual((action.tsq_checked_by, bool(action.tsq_checked_at)), (self.manager, True))
        with self._refused(ValidationError, "evidence"):
            checker.write({"stage_id": self.stage_close.id})
        checker.write({"tsq_check_evidence": "此后 3 个月报告差错 0 次"})
        with self._refused(ValidationError, "Act: the change made for good"):
            checker.write({"stage_id": self.stage_close.id})
        checker.write(
            {
                "tsq_act_description": "校核表 B 版纳入交付核查清单",
                "tsq_gate_template_ids": [Command.link(self._template().id)],
            }
        )
        checker.write({"stage_id": self.stage_close.id})
        self.assertEqual(action.stage_id, self.stage_close)
        self.assertTrue(action.date_closed)
        # a closed action is a record
        with self._refused(UserError, "closed"):
            checker.write({"tsq_cause": "改写原因"})
        with self._refused(UserError, "closed"):
            mine.write({"tsq_do_notes": "改写"})

    def _template(self):
        return self.env["tsq.gate.template"].create(
            {"category_id": self.category.id, "stage": "s5", "name": "报告校核表 B 版已核对"}
        )

    def _procedure(self):
        return self.env["document.page"].create(
            {"name": "报告校核作业指导书（B 版）", "type": "content", "content": "<p>校核</p>"}
        )

    def _checked(self, effective):
        """An action planned, done and checked (``effective`` or not), Act empty."""
        action = self._action(
            date_deadline=date.today() + timedelta(days=30),
            tsq_cause="校核表未列样品编号核对",
            tsq_measures="校核表增加核对项",
            tsq_do_notes="校核表 B 版已发布",
            tsq_done_at="2026-01-05 08:00:00",
            tsq_check_evidence="此后 3 个月报告差错 0 次",
        )
        action.write({"stage_id": self.stage_open.id})
        action.with_user(self.manager).write({"tsq_effective": effective})
        return action

    def test_act_standardises_what_worked(self):
        """R6.5, Act: an effective action closes only once what was made the standard
        is written down and linked — a revised procedure, changed gate checklist
        lines or indicator targets; each link is enough on its own."""
        indicator_target = self.env["tsq.indicator.target"].search([], limit=1)
        self.assertTrue(indicator_target)
        links = {
            "procedure": {"tsq_procedure_id": self._procedure().id},
            "gate template": {"tsq_gate_template_ids": [Command.link(self._template().id)]},
            "indicator target": {"tsq_indicator_target_ids": [Command.link(indicator_target.id)]},
        }
        for what, link in links.items():
            with self.subTest(link=what):
                action = self._checked("effective").with_user(self.manager)
                with self.assertRaisesExactly(ValidationError) as caught:
                    action.write({"stage_id": self.stage_close.id})
                self.assertIn("Act: the change made for good", str(caught.exception))
                self.assertIn("Act: the standard changed, linked", str(caught.exception))
                action.write({"tsq_act_description": "纳入作业指导书 B 版"})
                with self.assertRaisesExactly(ValidationError) as caught:
                    action.write({"stage_id": self.stage_close.id})
                self.assertNotIn("Act: the change made for good", str(caught.exception))
                self.assertIn("Act: the standard changed, linked", str(caught.exception))
                self.assertEqual(action.stage_id, self.stage_open)
                action.write(link)
                action.write({"stage_id": self.stage_close.id})
                self.assertEqual(action.stage_id, self.stage_close)
        # without a link but with only a description, or with a link but no
        # description, it stays open
        action = self._checked("effective").with_user(self.manager)
        action.write({"tsq_procedure_id": self._procedure().id})
        with self.assertRaisesExactly(ValidationError, "Act: the change made for good"):
            action.write({"stage_id": self.stage_close.id})
        # an action found not effective standardises nothing: it closes without Act
        failed = self._checked("not_effective").with_user(self.manager)
        failed.write({"stage_id": self.stage_close.id})
        self.assertEqual(failed.stage_id, self.stage_close)

    def test_check_comes_after_do(self):
        action = self._action(date_deadline=date.today() + timedelta(days=30))
        with self._refused(ValidationError, "carried out"):
            action.with_user(self.manager).write({"tsq_effective": "not_effective"})
        self.assertEqual(action.tsq_effective, "pending")

    def test_service_user_works_on_own_actions_only(self):
        mine = self._action(owner=self.user)
        theirs = self._action(owner=self.user2)
        mine.with_user(self.user).write({"tsq_cause": "原因"})
        self.assertEqual(mine.tsq_cause, "原因")
        with self.assertRaises(AccessError):
            theirs.with_user(self.user).write({"tsq_cause": "原因"})
        # every member reads them
        self.assertEqual(theirs.with_user(self.user).name, "报告校核遗漏")
        with self.assertRaisesExactly(UserError):
            mine.with_user(self.manager).write({"tsq_ticket_id": False})

    def test_proposed_action_cannot_be_deleted(self):
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        acceptance.sudo()._raise_objection("不符合合同约定", "recorded")
        with self._refused(UserError, "cancel it instead"):
            acceptance.tsq_action_id.sudo().unlink()

    def test_overdue_flag_and_reminder_sent_once(self):
        today = self.Action._tsq_today()
        late = self._action(date_deadline=today - timedelta(days=3))
        late.write({"stage_id": self.stage_open.id})
        due = self._action(date_deadline=today + timedelta(days=3))
        done = self._action(
            date_deadline=today - timedelta(days=3),
            tsq_cause="原因",
            tsq_measures="措施",
            tsq_do_notes="已完成",
            tsq_done_at="2026-01-05 08:00:00",
            tsq_check_evidence="复查无问题",
            tsq_act_description="作业指导书已修订",
            tsq_procedure_id=self._procedure().id,
        )
        done.write({"tsq_effective": "effective"})
        done.write({"stage_id": self.stage_close.id})
        self.assertEqual(
            (late.tsq_is_overdue, due.tsq_is_overdue, done.tsq_is_overdue), (True, False, False)
        )
        overdue = self.Action.search([("tsq_is_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(due | done, overdue)
        not_overdue = self.Action.search([("tsq_is_overdue", "=", False)])
        self.assertIn(due, not_overdue)
        self.assertIn(done, not_overdue)
        self.assertNotIn(late, not_overdue)

        def reminders(action):
            return action.activity_ids.filtered(lambda a: a.activity_type_id == self.overdue_type)

        self.Action._tsq_cron_remind_overdue()
        self.Action._tsq_cron_remind_overdue()
        self.assertEqual(len(reminders(late)), 1)
        self.assertEqual(reminders(late).user_id, self.user)
        self.assertEqual(late.tsq_overdue_reminded_on, today)
        notes = late.message_ids.filtered(lambda m: "is not closed" in (m.body or ""))
        self.assertEqual(len(notes), 1, "one reminder, however often the cron runs")
        self.assertFalse(reminders(due) | reminders(done))
        # a new deadline, passed again: a new reminder is due
        late.write({"date_deadline": today - timedelta(days=1)})
        self.assertFalse(late.tsq_overdue_reminded_on)
        self.Action._tsq_cron_remind_overdue()
        self.assertEqual(len(reminders(late)), 2)


@tagged("post_install", "-at_install")
class TestPdcaIndicatorFollowup(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Indicator = cls.env["tsq.indicator"].with_context(active_test=False)
        cls.indicator = Indicator.search([("code", "=", "first_pass")], limit=1) or (
            Indicator.create(
                {
                    "code": "first_pass",
                    "name": "First-pass acceptance rate",
                    "name_en": "First-pass acceptance rate",
                    "name_zh": "一次验收通过率",
                }
            )
        )

    def _figure(self, month, value, status, state="closed"):
        # 2019: a year no other figure of the company covers
        return (
            self.env["tsq.indicator.snapshot"]
            .with_context(tsq_engine_write=True)
            .create(
                {
                    "company_id": self.company.id,
                    "indicator_id": self.indicator.id,
                    "period_type": "month",
                    "date_from": date(2019, month, 1),
                    "date_to": date(2019, month + 1, 1),
                    "period_label": f"2019-{month:02d}",
                    "split": "none",
                    "numerator": int(value),
                    "denominator": 100,
                    "value": value,
                    "has_data": True,
                    "target": 90.0,
                    "direction": "ge",
                    "status": status,
                    "state": state,
                }
            )
        )

    def test_followup_shows_the_following_months(self):
        with freeze_time("2019-04-15 04:00:00"):
            source = self._figure(1, 80.0, "missed")
            self._figure(2, 86.5, "missed")
            self._figure(3, 93.0, "met")
            self._figure(4, 95.0, "met", state="open")
            action = self.env["mgmtsystem.action"]._tsq_propose(
                source.with_context(tsq_engine_write=True),
                "tsq_snapshot_id",
                "一次验收通过率未达标",
                "1 月 80%",
                self.quality,
                "action_id",
            )
            self.assertEqual(action.tsq_source_kind, "indicator")
            html = str(action.tsq_indicator_followup)
            # every member of the agency reads it
            action.invalidate_recordset()
            as_user = str(action.with_user(self.user).tsq_indicator_followup)
        self.assertEqual(as_user, html)
        self.assertIn("<table", html)
        for text in ("2019-01", "80.0 %", "≥ 90.0 %"):
            self.assertIn(text, html)
        if hasattr(source, "_tsq_following"):
            for text in ("2019-02", "86.5 %", "2019-03", "93.0 %", "95.0 %", "in progress"):
                self.assertIn(text, html)
            self.assertLess(html.index("2019-02"), html.index("2019-03"))
        # an action of another source shows no follow-up
        other = self.env["mgmtsystem.action"].create(
            {"name": "手工措施", "type_action": "improvement", "user_id": self.quality.id}
        )
        self.assertFalse(other.tsq_indicator_followup)
        self.assertEqual(other.tsq_source_kind, "manual")


@tagged("post_install", "-at_install")
class TestPdcaUi(HttpCase, TsqCase):
    """The PDCA screens render in the web client (headless Chromium)."""

    def test_action_form_and_overdue_list(self):
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        acceptance.sudo()._raise_objection("样品编号不一致", "recorded")
        action = acceptance.tsq_action_id
        action.write(
            {
                "date_deadline": self.env["mgmtsystem.action"]._tsq_today() - timedelta(days=2),
                "stage_id": self.env.ref("mgmtsystem_action.stage_open").id,
            }
        )
        self.assertTrue(action.tsq_is_overdue)
        check_form = """
            (async () => {
                const names = [...document.querySelectorAll('.o_notebook .nav-link')]
                    .map((a) => a.getAttribute('name'));
                for (const page of ['tsq_plan', 'tsq_do', 'tsq_check', 'tsq_act']) {
                    if (!names.includes(page)) { console.error('missing page ' + page); return; }
                }
                if (!document.querySelector('.o_form_view .ribbon')) {
                    console.error('no overdue ribbon'); return;
                }
                if (!document.querySelector('button[name=action_tsq_open_source]')) {
                    console.error('no source button'); return;
                }
                document.querySelector('.o_notebook .nav-link[name=tsq_check]').click();
                await new Promise((resolve) => setTimeout(resolve, 300));
                if (!document.querySelector('.o_field_widget[name=tsq_effective]')) {
                    console.error('no effectiveness on the Check page'); return;
                }
                console.log('test successful');
            })();
        """
        self.browser_js(
            f"/odoo/action-tech_service_quality.mgmtsystem_action_action_tsq/{action.id}",
            check_form,
            ready="!!document.querySelector('.o_form_view .o_notebook')",
            login="tsq_manager",
        )
        check_list = """
            const rows = document.querySelectorAll('.o_list_view .o_data_row.text-danger');
            if (rows.length) { console.log('test successful'); }
            else { console.error('no overdue row in red'); }
        """
        self.browser_js(
            "/odoo/action-tech_service_quality.mgmtsystem_action_action_tsq_overdue",
            check_list,
            ready="!!document.querySelector('.o_list_view .o_data_row')",
            login="tsq_manager",
        )
        check_kanban = """
            const cards = document.querySelectorAll('.o_kanban_record .badge.text-bg-danger');
            if (cards.length) { console.log('test successful'); }
            else { console.error('no overdue badge on the kanban cards'); }
        """
        self.browser_js(
            "/odoo/action-tech_service_quality.mgmtsystem_action_action_tsq",
            check_kanban,
            ready="!!document.querySelector('.o_kanban_view .o_kanban_record')",
            login="tsq_manager",
        )
        check_acceptance = """
            if (document.querySelector('button[name=action_tsq_open_action]')) {
                console.log('test successful');
            } else { console.error('no improvement action button'); }
        """
        self.browser_js(
            f"/odoo/action-tech_service_quality.tsq_acceptance_action/{acceptance.id}",
            check_acceptance,
            ready="!!document.querySelector('.o_form_view .o_form_sheet')",
            login="tsq_manager",
        )
