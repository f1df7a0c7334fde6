"""The inalterability check: recompute every evidence chain of a company.

For each chain (company, kind), in sequence order: every link must follow the one
before it (sequence number, previous hash) and its hash must be the hash of its
own payload (:func:`..lib.evidence.verify`); the chain's head row must point at the
last link; and the latest link of each record must still describe the record as it
is (same canonical payload, the record still exists and is still final). The first
link where any of this fails is the chain's first broken link. The result of each
check is kept, and printed (数据不可篡改性校验报告).
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ...lib import evidence
from .registry import EVIDENCE_KINDS, evidence_payloads

QUALITY_MANAGER = "tech_service_quality.group_tsq_quality_manager"


BROKEN_REASONS = [
    ("gap", "A link is missing (deleted)"),
    ("order", "Links are out of order or repeated"),
    ("prev", "The link does not follow the one before it"),
    ("hash", "The link's content or hash was changed"),
    ("changed", "The record was changed after it was sealed"),
    ("deleted", "The sealed record was deleted"),
    ("unfinal", "The record is no longer final and no reopening was recorded"),
    ("unsealed", "The record is final again but was not sealed"),
    ("head", "The chain's last links were removed (its head points further)"),
]


def _utc_bounds(company, date_from, date_to):
    zone = ZoneInfo(company._tsq_tz())

    def utc(day):
        return datetime.combine(day, time.min, zone).astimezone(UTC).replace(tzinfo=None)

    return utc(date_from), utc(date_to + timedelta(days=1))


class TsqEvidenceCheck(models.Model):
    """One run of the inalterability check, for a company and a period; anyone with
    the right can run it again and compare."""

    _name = "tsq.evidence.check"
    _description = "Data Inalterability Check"
    _order = "checked_at desc, id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True)
    state = fields.Selection(
        [("draft", "To check"), ("done", "Checked")], default="draft", required=True, readonly=True
    )
    checked_at = fields.Datetime(readonly=True)
    checked_by_id = fields.Many2one("res.users", readonly=True)
    line_ids = fields.One2many("tsq.evidence.check.line", "check_id", readonly=True)
    intact = fields.Boolean(string="All Chains Intact", readonly=True)

    @api.depends("company_id", "date_from", "date_to")
    def _compute_name(self):
        for check in self:
            check.name = self.env._(
                "Inalterability check %(company)s %(start)s – %(end)s",
                company=check.company_id.name or "",
                start=check.date_from or "",
                end=check.date_to or "",
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for check in self:
            if check.date_from > check.date_to:
                raise ValidationError(self.env._("The period must start before it ends."))

    def write(self, vals):
        if not self.env.su and self.filtered(lambda c: c.state == "done"):
            raise UserError(self.env._("A check that was run is a record; run a new one."))
        return super().write(vals)

    def action_check(self):
        """Run the check (Quality Managers) and print its report."""
        if not self.env.user.has_group(QUALITY_MANAGER):
            raise AccessError(
                self.env._("Only a Quality Manager can run the inalterability check.")
            )
        for check in self:
            if check.state == "done":
                raise UserError(self.env._("This check was already run; run a new one."))
            check.sudo()._tsq_run()
        return self.env.ref("tech_service_quality.action_report_evidence_check").report_action(self)

    def _tsq_run(self):
        self.ensure_one()
        company = self.company_id
        start, end = _utc_bounds(company, self.date_from, self.date_to)
        lines = []
        for kind, _label in EVIDENCE_KINDS:
            result = self._tsq_verify_chain(company.id, kind, start, end)
            if result is not None:
                lines.append(fields.Command.create(result))
        self.write(
            {
                "line_ids": lines,
                "state": "done",
                "checked_at": fields.Datetime.now(),
                "checked_by_id": self.env.uid,
                "intact": all(not line[2]["broken"] for line in lines),
            }
        )

    @api.model
    def _tsq_verify_chain(self, company_id, kind, start=None, end=None):
        """The check of chain (company, kind), as the values of a check line; None
        for a chain that has no link and no head."""
        cr = self.env.cr
        cr.execute(
            """SELECT seq, prev_hash, hash, payload, res_model, res_id, event, sealed_at
                 FROM tsq_evidence_link WHERE company_id = %s AND kind = %s ORDER BY seq""",
            (company_id, kind),
        )
        names = ("seq", "prev_hash", "hash", "payload", "res_model", "res_id", "event", "sealed_at")
        rows = [dict(zip(names, row, strict=True)) for row in cr.fetchall()]
        cr.execute(
            "SELECT seq, hash FROM tsq_evidence_head WHERE company_id = %s AND kind = %s",
            (company_id, kind),
        )
        head = cr.fetchone()
        if not rows and not (head and head[0]):
            return None
        problems = []  # (index, seq, reason)
        broken = evidence.verify(rows, kind)
        limit = len(rows)
        if broken:
            problems.append((broken.index, broken.expected_seq, broken.reason))
            limit = broken.index
        elif head and (
            head[0] != (rows[-1]["seq"] if rows else 0) or (rows and head[1] != rows[-1]["hash"])
        ):
            problems.append((len(rows), head[0], "head"))
        problems += self._tsq_live_problems(rows[:limit])
        first = min(problems, default=None)
        in_period = [
            row
            for row in rows
            if (start is None or row["sealed_at"] >= start)
            and (end is None or row["sealed_at"] < end)
        ]
        at_end = [row for row in rows if end is None or row["sealed_at"] < end]
        vals = {
            "kind": kind,
            "total_count": len(rows),
            "period_count": len(in_period),
            "head_seq": at_end[-1]["seq"] if at_end else 0,
            "head_hash": at_end[-1]["hash"] if at_end else "",
            "last_seq": head[0] if head else 0,
            "last_hash": head[1] if head else "",
            "broken": bool(first),
        }
        if first:
            index, seq, reason = first
            row = rows[index] if index < len(rows) else {}
            vals.update(
                broken_seq=seq,
                broken_reason=reason,
                broken_model=row.get("res_model"),
                broken_res_id=row.get("res_id"),
                broken_record=self._tsq_record_label(row.get("res_model"), row.get("res_id")),
            )
        return vals

    @api.model
    def _tsq_record_label(self, model, res_id):
        if not model or model not in self.env:
            return ""
        record = self.env[model].sudo().browse(res_id).exists()
        description = self.env["ir.model"]._get(model).name
        if not record:
            return f"{description} #{res_id}"
        return f"{description} #{res_id} {record.display_name}"

    @api.model
    def _tsq_live_problems(self, rows, batch=20000):
        """The links (of an intact stretch of chain) whose record no longer matches:
        the latest link of each record is compared with the record as it is now."""
        latest = {}
        for index, row in enumerate(rows):
            latest[(row["res_model"], row["res_id"])] = index
        by_model = {}
        for (model, res_id), index in latest.items():
            by_model.setdefault(model, {})[res_id] = index
        problems = []
        for model, indices in by_model.items():
            if model not in self.env:
                problems += [(i, rows[i]["seq"], "deleted") for i in indices.values()]
                continue
            Model = self.env[model].sudo().with_context(active_test=False, bin_size=False)
            ids = sorted(indices)
            for pos in range(0, len(ids), batch):
                chunk = ids[pos : pos + batch]
                payloads = evidence_payloads(Model.browse(chunk))  # the rows that exist
                records = Model.browse(sorted(payloads))
                final = set(records._tsq_evidence_final().ids)
                for res_id in chunk:
                    index = indices[res_id]
                    row = rows[index]
                    if res_id not in payloads:
                        problems.append((index, row["seq"], "deleted"))
                    elif row["event"] == "reopen":
                        if res_id in final:
                            problems.append((index, row["seq"], "unsealed"))
                    elif res_id not in final:
                        problems.append((index, row["seq"], "unfinal"))
                    elif evidence.canonical(payloads[res_id]) != row["payload"]:
                        problems.append((index, row["seq"], "changed"))
                records.invalidate_recordset()
        return problems
