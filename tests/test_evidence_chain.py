"""The evidence chain (R4.1.3): every final record is sealed into its company's chain
of its kind; the inalterability check recomputes the chains and names the first
broken link — changed by SQL as an attacker with database access would, deleted,
reordered; the upgrade seals what was final before once; the ORM refuses to change
a sealed record's hashed fields."""

import importlib.util
from datetime import date
from pathlib import Path

from psycopg2.errors import LockNotAvailable

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..lib import evidence
from ..models.evidence.registry import EVIDENCE, evidence_payload
from .common import PNG_1PX
from .test_sla import SlaCase, frozen, utc

MIGRATION = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.2.0" / "post-migration.py"


def _migration():
    spec = importlib.util.spec_from_file_location("tsq_post_migration_1_2_0", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestEvidenceChain(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Check = cls.env["tsq.evidence.check"]
        cls.Link = cls.env["tsq.evidence.link"].sudo()
        # one record of every kind, through the workflows
        complaint_category = cls.category  # SlaCase's; the services need TsqCase's
        cls.category = cls.env["tsq.service.category"].search([("code", "=", "TIP")], limit=1)
        service = cls._advance(cls._new_service(cls.client_a, name="存证服务"), "s5")
        cls.passage = service.sudo().gate_passage_ids.filtered("item_ids").sorted("id")[-1]
        acceptance = cls._submit_for_acceptance(service)
        acceptance.sudo()._accept("甲联系人", PNG_1PX, "portal")
        cls.acceptance = acceptance
        cls.visit = service.sudo().return_visit_ids
        cls.visit.with_user(cls.user)._record("5", "满意", "phone")
        cls.category = complaint_category
        with frozen(2026, 3, 2, 9, 0):
            ticket = cls._complaint(utc(2026, 3, 2, 9, 0))
        with frozen(2026, 3, 3, 9, 0):
            cls._handle(cls, ticket)
            ticket.stage_id = cls.stage_done
        cls.ticket = ticket.sudo()
        cls.clock = cls.ticket.tsq_clock_ids.filtered(lambda c: not c.is_open)[:1]
        supplier = cls.env["res.partner"].create(
            {"name": "存证供方", "is_company": True, "tsq_is_supplier": True}
        )
        cls.status = supplier.with_user(cls.quality)._tsq_set_supplier_status(
            "suspended", "资质齐全"
        )
        Snapshot = cls.env["tsq.indicator.snapshot"]
        figures = Snapshot._tsq_compute(
            cls.company, "month", [(date(2025, 1, 1), date(2025, 2, 1))], close=True
        )
        cls.figure = figures.filtered(lambda s: s.state == "closed" and s.split == "none")[:1]
        cls.figure.with_user(cls.quality)._tsq_recompute_closed("更正口径")
        cls.recompute = cls.figure.recompute_ids[:1]
        review = (
            cls.env["mgmtsystem.review"]
            .sudo()
            .create(
                {
                    "name": "存证评审",
                    "date": fields.Datetime.now(),
                    "company_id": cls.company.id,
                    "tsq_date_from": date(2026, 1, 1),
                    "tsq_date_to": date(2026, 4, 1),
                }
            )
        )
        review.button_close()
        cls.review = review
        cls.records = {
            "gate_passage": cls.passage,
            "acceptance": cls.acceptance,
            "return_visit": cls.visit,
            "sla_clock": cls.clock,
            "complaint": cls.ticket,
            "supplier_status": cls.status,
            "indicator_figure": cls.figure,
            "indicator_recompute": cls.recompute,
            "review": cls.review,
        }

    # ---------------------------------------------------------------- helpers
    def _link(self, record):
        return self.Link.search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)],
            order="version desc",
            limit=1,
        )

    def _check(self):
        check = self.Check.with_user(self.quality).create(
            {
                "company_id": self.company.id,
                "date_from": date(2000, 1, 1),
                "date_to": date(2100, 1, 1),
            }
        )
        check.action_check()
        return {line.kind: line for line in check.line_ids}, check

    def _sql(self, query, params):
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    # ------------------------------------------------------------------ tests
    def test_every_kind_is_sealed_and_verifies(self):
        for kind, record in self.records.items():
            self.assertTrue(record, kind)
            link = self._link(record)
            self.assertEqual(link.kind, kind)
            self.assertEqual(link.company_id, self.company)
            self.assertEqual(link.event, "seal")
            self.assertEqual(
                link.payload, evidence.canonical(evidence_payload(record.sudo())), kind
            )
            self.assertEqual(
                link.hash, evidence.link_hash(link.prev_hash, link.seq, kind, link.payload)
            )
        lines, check = self._check()
        self.assertTrue(
            check.intact, [(k, ln.broken_reason, ln.broken_record) for k, ln in lines.items()]
        )
        self.assertEqual(set(lines), set(self.records))
        for kind, line in lines.items():
            self.assertFalse(line.broken, kind)
            self.assertEqual(line.total_count, line.last_seq)
        heads = {h["kind"]: h for h in self.company._tsq_chain_heads()}
        self.assertEqual(heads["review"]["hash"], self._link(self.review).hash)
        self.assertEqual(set(heads), set(self.records))

    def test_signature_digest_and_checklist_are_hashed(self):
        payload = evidence_payload(self.acceptance.sudo())
        self.assertIsInstance(payload["signature"], bytes)
        canonical = evidence.canonical(payload)
        self.assertIn('"signature":{"sha256":', canonical)
        items = evidence_payload(self.passage)["item_ids"]
        self.assertTrue(items and all("done_by_id" in item for item in items))

    def test_sql_change_names_exactly_that_record_and_kind(self):
        cases = {
            "acceptance": ("UPDATE tsq_acceptance SET signed_by = %s WHERE id = %s", "冒名"),
            "return_visit": ("UPDATE tsq_return_visit SET score = %s WHERE id = %s", "1"),
            "supplier_status": ("UPDATE tsq_supplier_status SET reason = %s WHERE id = %s", "改"),
            "indicator_figure": (
                "UPDATE tsq_indicator_snapshot SET numerator = numerator + %s WHERE id = %s",
                1,
            ),
            "complaint": ("UPDATE helpdesk_ticket SET tsq_resolution = %s WHERE id = %s", "无"),
            "sla_clock": ("UPDATE tsq_sla_clock SET used_hours = %s WHERE id = %s", 0.5),
            "gate_passage": ("UPDATE tsq_gate_passage SET reason = %s WHERE id = %s", "改"),
            "review": ("UPDATE mgmtsystem_review SET name = %s WHERE id = %s", "改"),
            "indicator_recompute": (
                "UPDATE tsq_indicator_recompute SET reason = %s WHERE id = %s",
                "改",
            ),
        }
        self.assertEqual(set(cases), {spec.kind for spec in EVIDENCE.values()})
        for kind, (query, value) in cases.items():
            record = self.records[kind]
            with self.subTest(kind=kind), self.env.cr.savepoint(flush=False) as savepoint:
                self._sql(query, (value, record.id))
                lines, check = self._check()
                self.assertFalse(check.intact)
                broken = {k for k, line in lines.items() if line.broken}
                self.assertEqual(broken, {kind})
                line = lines[kind]
                self.assertEqual(line.broken_reason, "changed")
                self.assertEqual((line.broken_model, line.broken_res_id), (record._name, record.id))
                self.assertEqual(line.broken_seq, self._link(record).seq)
                self.assertIn(f"#{record.id}", line.broken_record)
                savepoint.rollback()
                self.env.invalidate_all()

    def test_checklist_item_changed_by_sql_breaks_the_passage(self):
        item = self.passage.item_ids[:1]
        self._sql(
            "UPDATE tsq_gate_item SET done_by_id = %s WHERE id = %s", (self.outsider.id, item.id)
        )
        lines, _check = self._check()
        self.assertEqual(lines["gate_passage"].broken_res_id, self.passage.id)
        self.assertEqual(lines["gate_passage"].broken_reason, "changed")

    def test_link_changed_by_sql_is_a_broken_hash(self):
        link = self._link(self.status)
        self._sql(
            "UPDATE tsq_evidence_link SET payload = replace(payload, %s, %s) WHERE id = %s",
            ("资质齐全", "资质不全", link.id),
        )
        self._sql(
            "UPDATE tsq_supplier_status SET reason = %s WHERE id = %s", ("资质不全", self.status.id)
        )
        lines, _check = self._check()
        self.assertEqual(lines["supplier_status"].broken_reason, "hash")
        self.assertEqual(lines["supplier_status"].broken_seq, link.seq)
        self.assertEqual(lines["supplier_status"].broken_res_id, self.status.id)

    def test_deleted_row_is_a_sequence_gap(self):
        link = self._link(self.passage)
        seq = link.seq
        self._sql("DELETE FROM tsq_evidence_link WHERE id = %s", (link.id,))
        lines, _check = self._check()
        line = lines["gate_passage"]
        self.assertEqual(line.broken_reason, "gap" if seq < line.last_seq else "head")
        self.assertEqual(line.broken_seq, seq)
        # a deleted record (its link kept) is named too
        self._sql("DELETE FROM tsq_supplier_status WHERE id = %s", (self.status.id,))
        lines, _check = self._check()
        self.assertEqual(lines["supplier_status"].broken_reason, "deleted")
        self.assertEqual(lines["supplier_status"].broken_res_id, self.status.id)

    def test_deleted_middle_row_is_a_gap(self):
        links = self.Link.search(
            [("company_id", "=", self.company.id), ("kind", "=", "gate_passage")], order="seq"
        )
        self.assertGreater(len(links), 2)
        middle = links[len(links) // 2]
        seq = middle.seq
        self._sql("DELETE FROM tsq_evidence_link WHERE id = %s", (middle.id,))
        lines, _check = self._check()
        self.assertEqual(lines["gate_passage"].broken_reason, "gap")
        self.assertEqual(lines["gate_passage"].broken_seq, seq)

    def test_reordering_is_detected(self):
        links = self.Link.search(
            [("company_id", "=", self.company.id), ("kind", "=", "gate_passage")], order="seq"
        )
        (a, a_seq), (b, b_seq) = (links[-2], links[-2].seq), (links[-1], links[-1].seq)
        self._sql("UPDATE tsq_evidence_link SET seq = -seq WHERE id IN %s", ((a.id, b.id),))
        self._sql("UPDATE tsq_evidence_link SET seq = %s WHERE id = %s", (b_seq, a.id))
        self._sql("UPDATE tsq_evidence_link SET seq = %s WHERE id = %s", (a_seq, b.id))
        lines, _check = self._check()
        line = lines["gate_passage"]
        self.assertTrue(line.broken)
        self.assertEqual(line.broken_seq, a_seq)
        self.assertIn(line.broken_reason, ("prev", "hash"))

    def test_orm_refuses_to_change_a_sealed_hashed_field(self):
        with self.assertRaisesRegex(UserError, "sealed in the evidence chain"):
            self.ticket.write({"tsq_resolution": "改写"})
        with self.assertRaisesRegex(UserError, "sealed in the evidence chain"):
            # the engines' context flag, sent over RPC, does not open a sealed record
            self.ticket.with_user(self.user).with_context(tsq_evidence_amend=True).write(
                {"tsq_resolution": "改写"}
            )
        with self.assertRaisesRegex(UserError, "sealed in the evidence chain"):
            self.acceptance.sudo().write({"signed_by": "冒名"})
        with self.assertRaisesRegex(UserError, "sealed in the evidence chain"):
            self.visit.sudo().write({"score": "1"})
        with self.assertRaises(UserError):
            self.status.sudo().unlink()
        # a field that is not hashed may still change
        self.ticket.write({"tsq_satisfaction_comment": "谢谢"})
        with self.assertRaises(UserError):
            self._link(self.review).sudo().write({"hash": "0" * 64})
        with self.assertRaises(UserError):
            self._link(self.review).sudo().unlink()
        lines, check = self._check()
        self.assertTrue(check.intact)

    def test_a_sealed_record_is_not_sealed_again(self):
        link = self._link(self.status)
        self.status._tsq_evidence_seal()
        self.assertEqual(self._link(self.status), link)
        # a record changed by SQL is not sealed again by a later write: the check reports it
        self._sql(
            "UPDATE tsq_return_visit SET comments = %s WHERE id = %s", ("篡改", self.visit.id)
        )
        self.visit._tsq_evidence_seal()
        self.assertEqual(self._link(self.visit).version, 1)
        lines, _check = self._check()
        self.assertEqual(lines["return_visit"].broken_reason, "changed")

    def test_recompute_of_a_closed_figure_is_sealed_as_a_new_version(self):
        before = self._link(self.figure)
        self.figure.with_user(self.quality)._tsq_recompute_closed("复核")
        self.assertEqual(len(self.figure.recompute_ids), 2)
        after = self._link(self.figure)
        if after != before:
            self.assertEqual(after.version, before.version + 1)
        self.assertTrue(self._link(self.figure.recompute_ids[0]))
        lines, check = self._check()
        self.assertTrue(check.intact)

    def test_reopened_complaint_is_recorded_then_sealed_again(self):
        before = self._link(self.ticket)
        with frozen(2026, 3, 4, 9, 0):
            self.ticket.with_user(self.user).stage_id = self.stage_progress
        reopen = self._link(self.ticket)
        self.assertEqual((reopen.event, reopen.version), ("reopen", before.version + 1))
        self.ticket.with_user(self.user).write({"tsq_resolution": "重新处理"})
        with frozen(2026, 3, 5, 9, 0):
            self.ticket.with_user(self.user).stage_id = self.stage_done
        again = self._link(self.ticket)
        self.assertEqual((again.event, again.version), ("seal", before.version + 2))
        lines, check = self._check()
        self.assertTrue(
            check.intact, [(k, ln.broken_reason) for k, ln in lines.items() if ln.broken]
        )

    def test_closed_complaint_moved_to_another_closed_stage(self):
        """helpdesk_mgmt stamps a new closing time: sealed as the next version."""
        before = self._link(self.ticket)
        with frozen(2026, 3, 6, 9, 0):
            self.ticket.with_user(self.user).stage_id = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_cancelled"
            )
        after = self._link(self.ticket)
        self.assertEqual((after.event, after.version), ("seal", before.version + 1))
        self.assertIn("2026-03-06T01:00:00Z", after.payload)
        lines, check = self._check()
        self.assertTrue(check.intact)

    def test_upgrade_hashes_existing_records_once(self):
        records = [self.status, self.visit, self.review]
        self._sql(
            "DELETE FROM tsq_evidence_link WHERE company_id = %s",
            (self.company.id,),
        )
        self._sql("DELETE FROM tsq_evidence_head WHERE company_id = %s", (self.company.id,))
        counts = _migration().seal_existing(self.env)
        self.assertGreaterEqual(counts["tsq.supplier.status"], 1)
        for record in records:
            link = self._link(record)
            self.assertEqual((link.version, link.event), (1, "seal"))
        heads = {h["kind"]: h for h in self.company._tsq_chain_heads()}
        message = self.company.partner_id.message_ids[:1]
        self.assertIn("evidence chains start here", message.body)
        self.assertIn(heads["supplier_status"]["hash"], message.body)
        # in the order of their dates
        links = self.Link.search(
            [("company_id", "=", self.company.id), ("kind", "=", "return_visit")], order="seq"
        )
        visits = self.env["tsq.return.visit"].sudo().browse(links.mapped("res_id"))
        self.assertEqual(visits.mapped("done_at"), sorted(visits.mapped("done_at")))
        # once: a second run seals nothing
        counts = _migration().seal_existing(self.env)
        self.assertEqual(set(counts.values()), {0})
        self.assertEqual(self.company._tsq_chain_heads(), list(heads.values()))
        lines, check = self._check()
        self.assertTrue(check.intact)

    def test_report_prints_results_and_heads(self):
        self._sql(
            "UPDATE tsq_return_visit SET comments = %s WHERE id = %s", ("篡改", self.visit.id)
        )
        _lines, check = self._check()
        html = str(
            self.env["ir.actions.report"]
            .with_user(self.quality)
            ._render_qweb_html("tech_service_quality.report_evidence_check", check.ids)[0]
            .decode()
        )
        self.assertIn("数据不可篡改性校验报告", html)
        self.assertIn(self.company._tsq_chain_heads()[0]["hash"], html)
        self.assertIn(f"#{self.visit.id}", html)

    def test_only_quality_managers_run_the_check(self):
        check = self.Check.with_user(self.quality).create(
            {
                "company_id": self.company.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        with self.assertRaises(AccessError):
            check.with_user(self.manager).action_check()
        with self.assertRaises(ValidationError):
            self.Check.with_user(self.quality).create(
                {"date_from": date(2026, 2, 1), "date_to": date(2026, 1, 1)}
            )
        check.action_check()
        with self.assertRaises(UserError):
            check.write({"date_to": date(2027, 1, 1)})

    def test_review_pack_prints_the_chain_heads(self):
        review = (
            self.env["mgmtsystem.review"]
            .sudo()
            .create(
                {
                    "name": "链头评审",
                    "date": fields.Datetime.now(),
                    "company_id": self.company.id,
                    "tsq_date_from": date(2025, 1, 1),
                    "tsq_date_to": date(2025, 4, 1),
                }
            )
        )
        pack = review._tsq_pack_data()
        heads = {h["kind"]: h["hash"] for h in pack["chain_heads"]}
        self.assertEqual(heads["supplier_status"], self._link(self.status).hash)

    def test_appending_locks_the_chain_head(self):
        """A second writer waits for the head of the chain until the first commits
        (here it gives up after 300 ms: this transaction holds the head)."""
        self.env["res.partner"].create(
            {"name": "并发供方", "is_company": True, "tsq_is_supplier": True}
        ).with_user(self.quality)._tsq_set_supplier_status("suspended", "并发")
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.registry.cursor() as other,
            self.assertRaises(LockNotAvailable),
        ):
            # what _tsq_append does first, as another transaction would
            other.execute("SET LOCAL lock_timeout = '300ms'")
            other.execute(
                """INSERT INTO tsq_evidence_head (company_id, kind, seq, hash)
                   VALUES (%s, 'supplier_status', 0, '')
                   ON CONFLICT (company_id, kind) DO NOTHING""",
                (self.company.id,),
            )
            other.execute(
                """SELECT id FROM tsq_evidence_head
                    WHERE company_id = %s AND kind = 'supplier_status' FOR UPDATE""",
                (self.company.id,),
            )
