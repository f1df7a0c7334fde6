"""Two people, or two processes, acting at once: real concurrency.

Each transaction runs on its own database connection (``registry.cursor()``
outside Odoo's test mode, in its own thread), so PostgreSQL's row locks and
REPEATABLE READ snapshots are the real ones. The fixtures are committed (the
other transactions must see them) and removed after each test.

* a gate passed twice at once, and a second attempt after the first committed;
* an acceptance decided twice at once, through the portal (two HTTP requests in
  parallel, the client's double click);
* the SLA breach scan run twice at once;
* the nightly indicators computed twice at once.
Each asserts exactly one decision, notification or figure."""

import threading
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

import requests

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import get_db_name, tagged
from odoo.tests.common import HOST, BaseCase
from odoo.tools import config, mute_logger

from ..models.core.tsq_concurrency import TsqConcurrentChange
from .common import PNG_1PX, plan_values

TIMEOUT = 120  # seconds a thread may wait for the other


def purge_chatter(cr, model, ids):
    """Delete the activities, messages and followers of records removed in SQL."""
    for table, column in (
        ("mail_activity", "res_model"),
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
    ):
        cr.execute(
            f"DELETE FROM {table} WHERE {column} = %s AND res_id = ANY(%s)",  # noqa: S608
            (model, list(ids)),
        )


class ConcurrencyCase(BaseCase):
    """Committed fixtures, transactions on their own connections."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        assert not cls.registry.in_test_mode(), "these tests need real, separate cursors"
        # The server holds the registries' lock while it runs the tests: other
        # threads (ours, the HTTP server's) would wait for it forever. As Odoo's
        # test mode does, a dummy lock stands in while these tests run.
        saved_lock, Registry._lock = Registry._lock, DummyRLock()

        def restore_lock():
            Registry._lock = saved_lock

        cls.addClassCleanup(restore_lock)

    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        # The committed fixtures are sealed into the company's evidence chains
        # (issue 19): the chains are put back as they were with the fixtures.
        with self.transaction() as env:
            env.cr.execute("SELECT coalesce(max(id), 0) FROM tsq_evidence_link")
            last_link = env.cr.fetchone()[0]
            env.cr.execute("SELECT id, seq, hash FROM tsq_evidence_head")
            heads = env.cr.fetchall()
        self.addCleanup(self._restore_evidence, last_link, heads)

    def _restore_evidence(self, last_link, heads):
        with self.transaction() as env:
            cr = env.cr
            cr.execute("DELETE FROM tsq_evidence_link WHERE id > %s", (last_link,))
            cr.execute(
                "DELETE FROM tsq_evidence_head WHERE NOT id = ANY(%s)",
                ([head_id for head_id, _seq, _hash in heads],),
            )
            for head_id, seq, digest in heads:
                cr.execute(
                    "UPDATE tsq_evidence_head SET seq = %s, hash = %s WHERE id = %s",
                    (seq, digest, head_id),
                )

    @contextmanager
    def transaction(self, uid=SUPERUSER_ID, **context):
        """A transaction of its own, committed when the block ends without error."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, uid, dict(context))

    def run_in_threads(self, *works):
        """Run each ``work(env)`` in its own thread and transaction, at the same
        moment (a barrier after each transaction has begun). Returns, for each,
        ("ok", result) or ("error", exception); a transaction that raised is
        rolled back, the others are committed."""
        barrier = threading.Barrier(len(works), timeout=TIMEOUT)
        results = [None] * len(works)

        def target(index, work):
            try:
                with self.transaction() as env:
                    env.cr.execute("SELECT 1")  # the transaction (and its snapshot) begins
                    barrier.wait()
                    results[index] = ("ok", work(env))
            except Exception as error:  # noqa: BLE001 - reported to the test
                results[index] = ("error", error)

        threads = [
            threading.Thread(target=target, args=(index, work), name=f"tsq-concurrency-{index}")
            for index, work in enumerate(works)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
            self.assertFalse(thread.is_alive(), "a concurrent transaction did not finish")
        return results

    # ----------------------------------------------------------------- fixtures
    def _service_fixture(self, env, stage="s1"):
        """A committed service of a category without checklist, at ``stage``
        (set directly: the concurrency of the step is tested, not the walk)."""
        admin = env.ref("base.user_admin")
        client = env["res.partner"].create({"name": f"并发客户 {self.tag}", "is_company": True})
        category = env["tsq.service.category"].create(
            {
                "name": f"Concurrency {self.tag}",
                "code": f"C{self.tag}",
                "response_time": 24,
                "response_unit": "clock_hours",
                "return_visit_days": 30,
                "objection_days": 5,
            }
        )
        service = env["project.project"].create(
            {
                "name": f"并发服务 {self.tag}",
                "is_service": True,
                "partner_id": client.id,
                "service_category_id": category.id,
                "user_id": admin.id,
                "inquiry_received_at": fields.Datetime.now() - timedelta(days=1),
                "first_response_at": fields.Datetime.now() - timedelta(hours=20),
                "needs_analysis": "<p>需要布局核心专利</p>",
                "feasibility": "accept",
                "feasibility_reason": "团队有相关经验",
                "feasibility_user_id": admin.id,
            }
        )
        if stage != "s1":
            env.flush_all()
            env.cr.execute(
                "UPDATE project_project SET service_stage = %s WHERE id = %s", (stage, service.id)
            )
            service.invalidate_recordset()
        self.addCleanup(self._remove_services, service.id, category.id, client.id)
        return service

    def _remove_services(self, service_id, category_id, client_id, user_id=None):
        """Remove what a test committed: its records are evidence, which the
        application never deletes, so this goes round the guards in SQL."""
        with self.transaction() as env:
            cr = env.cr
            cr.execute("SELECT id FROM tsq_acceptance WHERE service_id = %s", (service_id,))
            acceptance_ids = [row[0] for row in cr.fetchall()] or [0]
            cr.execute("SELECT id FROM tsq_return_visit WHERE service_id = %s", (service_id,))
            visit_ids = [row[0] for row in cr.fetchall()] or [0]
            for model, ids in (
                ("project.project", [service_id]),
                ("tsq.acceptance", acceptance_ids),
                ("tsq.return.visit", visit_ids),
            ):
                purge_chatter(cr, model, ids)
            for table in (
                "tsq_feedback",
                "tsq_return_visit",
                "tsq_acceptance",
                "tsq_deliverable",
                "tsq_gate_passage",
                "tsq_gate_item",
                "project_update",
                "project_collaborator",
            ):
                column = "project_id" if table.startswith("project_") else "service_id"
                cr.execute(
                    f"DELETE FROM {table} WHERE {column} = %s",  # noqa: S608
                    (service_id,),
                )
            cr.execute("DELETE FROM project_task WHERE project_id = %s", (service_id,))
            cr.execute("DELETE FROM project_project WHERE id = %s", (service_id,))
            cr.execute("DELETE FROM tsq_service_category WHERE id = %s", (category_id,))
            if user_id:
                cr.execute("DELETE FROM res_users WHERE id = %s", (user_id,))
            cr.execute("DELETE FROM res_partner WHERE id = %s OR parent_id = %s", (client_id,) * 2)
            env.invalidate_all()


@tagged("post_install", "-at_install")
class TestConcurrentDecisions(ConcurrencyCase):
    def _passages(self, service_id):
        with self.transaction() as env:
            passages = env["tsq.gate.passage"].search([("service_id", "=", service_id)])
            return [(p.from_stage, p.to_stage, p.direction) for p in passages]

    def test_gate_passed_twice_interleaved(self):
        """Manager A passes the S1 gate and has not committed yet when manager B
        presses the same button: B is told to reload, nothing is written. Once A
        has committed, B's second press (the form still shows S1) is refused
        too. One passage."""
        with self.transaction() as env:
            service_id = self._service_fixture(env).id
        a_passed, b_tried = threading.Event(), threading.Event()
        outcome = {}

        def manager_a():
            try:
                with self.transaction() as env:
                    service = env["project.project"].browse(service_id)
                    service.with_context(tsq_expected_stage="s1").action_pass_gate()
                    a_passed.set()
                    b_tried.wait(TIMEOUT)  # holds its locks until B has tried
            except Exception as error:  # noqa: BLE001
                outcome["a"] = error
            finally:
                a_passed.set()

        def manager_b():
            a_passed.wait(TIMEOUT)
            try:
                with self.transaction() as env:
                    service = env["project.project"].browse(service_id)
                    service.with_context(tsq_expected_stage="s1").action_pass_gate()
            except Exception as error:  # noqa: BLE001
                outcome["b"] = error
            finally:
                b_tried.set()

        threads = [threading.Thread(target=manager_a), threading.Thread(target=manager_b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        self.assertNotIn("a", outcome)
        self.assertIsInstance(outcome.get("b"), TsqConcurrentChange)
        self.assertIn("someone else", str(outcome["b"]))
        self.assertEqual(self._passages(service_id), [("s1", "s2", "forward")])

        # B presses again, after A committed: its form still shows S1
        with self.assertRaises(TsqConcurrentChange), self.transaction() as env:
            service = env["project.project"].browse(service_id)
            service.with_context(tsq_expected_stage="s1").action_pass_gate()
        self.assertEqual(self._passages(service_id), [("s1", "s2", "forward")])
        with self.transaction() as env:
            self.assertEqual(env["project.project"].browse(service_id).service_stage, "s2")

    def test_gate_passed_twice_at_once(self):
        """Two managers press "Pass gate" at the same moment: one passage; the
        other is refused with the clear message, never a raw database error."""
        with self.transaction() as env:
            service_id = self._service_fixture(env).id

        def pass_gate(env):
            service = env["project.project"].browse(service_id)
            service.with_context(tsq_expected_stage="s1").action_pass_gate()
            return service.service_stage

        results = self.run_in_threads(pass_gate, pass_gate)
        self.assertEqual(sorted(kind for kind, _value in results), ["error", "ok"], results)
        error = next(value for kind, value in results if kind == "error")
        self.assertIsInstance(error, TsqConcurrentChange)
        self.assertEqual(self._passages(service_id), [("s1", "s2", "forward")])

    def test_plan_confirmed_twice(self):
        """The client confirms the plan on the portal while staff record it: one
        confirmation; the second is refused."""
        with self.transaction() as env:
            service = self._service_fixture(env, stage="s2")
            service.write(plan_values())
            service_id = service.id

        def confirm(channel):
            def work(env):
                service = env["project.project"].browse(service_id)
                service._tsq_check_plan_confirmable()
                service._tsq_confirm_plan("甲联系人", channel)

            return work

        results = self.run_in_threads(confirm("portal"), confirm("recorded"))
        self.assertEqual(sorted(kind for kind, _value in results), ["error", "ok"], results)
        error = next(value for kind, value in results if kind == "error")
        self.assertIsInstance(error, UserError)
        with self.transaction() as env:
            service = env["project.project"].browse(service_id)
            self.assertTrue(service.plan_confirmed_at)
            notes = service.message_ids.filtered(lambda m: "甲联系人" in (m.body or ""))
            self.assertEqual(len(notes), 1, "one confirmation in the chatter")


@tagged("post_install", "-at_install")
class TestConcurrentPortalAcceptance(ConcurrencyCase):
    """The client double-clicks "Accept" (or two contacts accept at once): two
    HTTP requests in parallel on the running server."""

    def _fixture(self):
        password = f"Pw-{self.tag}-{uuid.uuid4().hex}"
        with self.transaction() as env:
            service = self._service_fixture(env, stage="s5")
            contact = env["res.partner"].create(
                {"name": f"甲联系人 {self.tag}", "parent_id": service.partner_id.id}
            )
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": contact.name,
                        "login": f"tsq_concurrency_{self.tag}",
                        "password": password,
                        "partner_id": contact.id,
                        "groups_id": [Command.set([env.ref("base.group_portal").id])],
                    }
                )
            )
            env["tsq.deliverable"].create(
                {"service_id": service.id, "name": "专利申请文件"}
            ).action_hand_over()
            acceptance = env["tsq.acceptance"].create({"service_id": service.id})
            ids = (service.id, acceptance.id, user.login)
        # the user goes with the service's fixture (its partner is the client's child)
        self.addCleanup(self._remove_user, ids[2])
        return (*ids, password)

    def _remove_user(self, login):
        with self.transaction() as env:
            env.cr.execute("SELECT id, partner_id FROM res_users WHERE login = %s", (login,))
            for user_id, partner_id in env.cr.fetchall():
                env.cr.execute("DELETE FROM res_users_log WHERE create_uid = %s", (user_id,))
                env.cr.execute("DELETE FROM res_users WHERE id = %s", (user_id,))
                env.cr.execute("DELETE FROM res_partner WHERE id = %s", (partner_id,))

    def _session(self, login, password):
        base = f"http://{HOST}:{config['http_port']}"
        session = requests.Session()
        page = session.get(f"{base}/web/login", timeout=60)
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = session.post(
            f"{base}/web/login",
            data={"login": login, "password": password, "csrf_token": token, "redirect": "/my"},
            timeout=60,
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("oe_login_form", response.text, "logged in")
        return base, session

    def test_accept_double_click(self):
        service_id, acceptance_id, login, password = self._fixture()
        base, session = self._session(login, password)
        url = f"{base}/my/services/{service_id}/acceptance/{acceptance_id}/accept"
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"name": "甲联系人", "signature": PNG_1PX},
        }
        barrier = threading.Barrier(2, timeout=TIMEOUT)
        responses = [None, None]

        def click(index):
            clicker = requests.Session()
            clicker.cookies.update(session.cookies)
            barrier.wait()
            responses[index] = clicker.post(url, json=payload, timeout=TIMEOUT)

        threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        self.assertEqual([r.status_code for r in responses], [200, 200], "never a server error")
        results = [r.json().get("result") or {} for r in responses]
        self.assertFalse([r.json()["error"] for r in responses if "error" in r.json()])
        accepted = [r for r in results if r.get("redirect_url")]
        refused = [r for r in results if r.get("error")]
        self.assertEqual((len(accepted), len(refused)), (1, 1), results)
        self.assertTrue(
            "someone else" in refused[0]["error"] or "already been decided" in refused[0]["error"],
            refused[0]["error"],
        )
        with self.transaction() as env:
            acceptance = env["tsq.acceptance"].browse(acceptance_id)
            self.assertEqual(acceptance.state, "accepted")
            self.assertEqual(acceptance.decision_channel, "portal")
            service = acceptance.service_id
            self.assertEqual(len(service.return_visit_ids), 1, "one return visit planned")
            self.assertEqual(
                len(service.message_ids.filtered(lambda m: "甲联系人" in (m.body or ""))), 1
            )

    def test_accept_and_object_at_once(self):
        """One contact accepts while another objects, at the same moment (model
        methods the portal routes call): one decision stands."""
        service_id, acceptance_id, _login, _password = self._fixture()

        def accept(env):
            return env["tsq.acceptance"].browse(acceptance_id)._accept("甲", PNG_1PX, "portal")

        def object_(env):
            return (
                env["tsq.acceptance"].browse(acceptance_id)._raise_objection("数据有误", "portal")
            )

        results = self.run_in_threads(accept, object_)
        self.assertEqual(sorted(kind for kind, _value in results), ["error", "ok"], results)
        error = next(value for kind, value in results if kind == "error")
        self.assertIsInstance(error, (TsqConcurrentChange, UserError))
        self.assertNotIsInstance(error, ValidationError)
        with self.transaction() as env:
            acceptance = env["tsq.acceptance"].browse(acceptance_id)
            self.assertIn(acceptance.state, ("accepted", "objection"))
            self.assertEqual(
                len(acceptance.service_id.return_visit_ids),
                1 if acceptance.state == "accepted" else 0,
            )


@tagged("post_install", "-at_install")
class TestConcurrentJobs(ConcurrencyCase):
    def _ticket_fixture(self):
        """A complaint received long ago whose clocks are due for the scan, on
        an instant (year 2000) no other clock of the database waits for: received
        now, then dated back to 2000, its clocks breached with no notice sent yet,
        so that the scan sends every notice (and proposes no action: they were
        breached already)."""
        with self.transaction() as env:
            admin = env.ref("base.user_admin")
            team = env["helpdesk.ticket.team"].create(
                {"name": f"Concurrency desk {self.tag}", "user_id": admin.id}
            )
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": f"并发投诉 {self.tag}",
                    "description": "<p>报告数据有误</p>",
                    "category_id": env.ref("tech_service_quality.helpdesk_category_complaint").id,
                    "team_id": team.id,
                    "user_id": admin.id,
                }
            )
            clocks = ticket.tsq_clock_ids
            self.assertTrue(clocks, "the complaint policies apply")
            env.flush_all()
            received = datetime(2000, 6, 1, 2, 0)
            env.cr.execute(
                "UPDATE helpdesk_ticket SET tsq_received_at = %s WHERE id = %s",
                (received, ticket.id),
            )
            env.cr.execute(
                "UPDATE tsq_ticket_stage_log SET entered_at = %s WHERE ticket_id = %s",
                (received, ticket.id),
            )
            env.cr.execute(
                "UPDATE tsq_sla_clock SET state = 'breached', warned_level = 0, next_check_at = %s"
                " WHERE ticket_id = %s",
                (datetime(2000, 1, 1), ticket.id),
            )
            ids = (ticket.id, team.id, len(clocks))
        self.addCleanup(self._remove_ticket, *ids[:2])
        return ids

    def _remove_ticket(self, ticket_id, team_id):
        with self.transaction() as env:
            cr = env.cr
            purge_chatter(cr, "helpdesk.ticket", [ticket_id])
            cr.execute("DELETE FROM tsq_feedback WHERE ticket_id = %s", (ticket_id,))
            cr.execute("DELETE FROM helpdesk_ticket WHERE id = %s", (ticket_id,))
            cr.execute("DELETE FROM helpdesk_ticket_team WHERE id = %s", (team_id,))

    def test_breach_scan_twice_at_once(self):
        """Two servers run the SLA scan at the same minute: each warning and
        breach notice is sent once."""
        ticket_id, _team_id, clock_count = self._ticket_fixture()
        now = datetime(2001, 1, 1)

        def scan(env):
            return env["tsq.sla.clock"]._cron_scan(now=now).ids

        results = self.run_in_threads(scan, scan)
        self.assertEqual([kind for kind, _value in results], ["ok", "ok"], results)
        handled = [set(value) for _kind, value in results]
        self.assertFalse(handled[0] & handled[1], "no clock replayed by both runs")
        with self.transaction() as env:
            ticket = env["helpdesk.ticket"].browse(ticket_id)
            self.assertEqual(len(handled[0] | handled[1]), clock_count)
            warning = env.ref("tech_service_quality.mail_activity_type_sla_warning")
            activities = env["mail.activity"].search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket_id),
                    ("activity_type_id", "=", warning.id),
                ]
            )
            self.assertEqual(len(activities), clock_count, "one notice per clock")
            self.assertEqual(len(set(activities.mapped("summary"))), clock_count, "no notice twice")
            self.assertTrue(all(c.warned_level >= 100 for c in ticket.tsq_clock_ids))

        # a third run afterwards finds nothing to send
        with self.transaction() as env:
            self.assertFalse(env["tsq.sla.clock"]._cron_scan(now=now))

    def test_nightly_indicators_twice_at_once(self):
        """The nightly indicator job starts on two servers at the same minute:
        one computes the company's figures, the other leaves them to it; each
        figure is written once."""
        with self.transaction() as env:
            company = env["tsq.indicator.snapshot"]._tsq_service_companies()[:1]
            self.assertTrue(company)
            company_id = company.id
            env.cr.execute("SELECT COALESCE(max(id), 0) FROM tsq_indicator_snapshot")
            last_id = env.cr.fetchone()[0]
            env.cr.execute("SELECT COALESCE(max(id), 0) FROM mgmtsystem_action")
            last_action = env.cr.fetchone()[0]
        self.addCleanup(self._remove_figures, company_id, last_id, last_action)
        # a night of 2031: periods for which no figure exists yet
        now = datetime(2031, 7, 14, 18, 0)

        def nightly(env):
            Snapshot = env["tsq.indicator.snapshot"]
            return Snapshot._tsq_cron_compute_company(env["res.company"].browse(company_id), now)

        with mute_logger("odoo.sql_db"):
            results = self.run_in_threads(nightly, nightly)
        self.assertEqual([kind for kind, _value in results], ["ok", "ok"], results)
        self.assertEqual(sorted(value for _kind, value in results), [False, True], results)
        with self.transaction() as env:
            env.cr.execute(
                """SELECT count(*), count(DISTINCT (indicator_id, period_type, date_from, split,
                                                    service_category_id, team_id)),
                          count(*) FILTER (WHERE state = 'closed')
                     FROM tsq_indicator_snapshot WHERE company_id = %s AND id > %s""",
                (company_id, last_id),
            )
            total, distinct, closed = env.cr.fetchone()
            self.assertGreater(total, 0)
            self.assertEqual(total, distinct, "each figure written once")
            self.assertGreater(closed, 0, "the ended periods of that night are closed")
            env.cr.execute(
                """SELECT tsq_snapshot_id, count(*) FROM mgmtsystem_action
                    WHERE id > %s AND tsq_snapshot_id IS NOT NULL
                 GROUP BY tsq_snapshot_id HAVING count(*) > 1""",
                (last_action,),
            )
            self.assertFalse(env.cr.fetchall(), "one improvement action per missed figure")

        # the second run, after the first committed, changes nothing closed
        with self.transaction() as env:
            self.assertTrue(
                env["tsq.indicator.snapshot"]._tsq_cron_compute_company(
                    env["res.company"].browse(company_id), now
                )
            )
            env.cr.execute(
                "SELECT count(*) FROM tsq_indicator_snapshot WHERE company_id = %s AND id > %s",
                (company_id, last_id),
            )
            self.assertEqual(env.cr.fetchone()[0], total)

    def _remove_figures(self, company_id, last_id, last_action):
        with self.transaction() as env:
            cr = env.cr
            cr.execute("SELECT id FROM mgmtsystem_action WHERE id > %s", (last_action,))
            action_ids = [row[0] for row in cr.fetchall()]
            purge_chatter(cr, "mgmtsystem.action", action_ids)
            cr.execute("DELETE FROM mgmtsystem_action WHERE id = ANY(%s)", (action_ids,))
            cr.execute(
                "DELETE FROM tsq_indicator_recompute WHERE snapshot_id IN "
                "(SELECT id FROM tsq_indicator_snapshot WHERE id > %s)",
                (last_id,),
            )
            cr.execute("DELETE FROM tsq_indicator_snapshot WHERE id > %s", (last_id,))
            env.invalidate_all()
            Snapshot = env["tsq.indicator.snapshot"]
            Snapshot._tsq_mark_latest(env["res.company"].browse(company_id))
