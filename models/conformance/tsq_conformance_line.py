import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.res_company import agency_lang
from .tsq_conformance_assessment import STATUSES

# What the assessor may still write on a line of a draft assessment.
LINE_WRITABLE = {"comment"}


class TsqConformanceLine(models.Model):
    """One clause of an assessment: the measure (numerator of denominator, the
    records behind both), the status the clause's thresholds give, and the
    assessor's comment. Written by the computation only."""

    _name = "tsq.conformance.line"
    _description = "Conformance Assessment Line"
    _order = "assessment_id, sequence, id"

    assessment_id = fields.Many2one(
        "tsq.conformance.assessment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    clause_id = fields.Many2one(
        "tsq.conformance.clause", string="Standard Clause", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="clause_id.sequence", store=True)
    code = fields.Char(related="clause_id.code", string="Clause")
    part = fields.Selection(related="clause_id.part")
    measure = fields.Selection(related="clause_id.measure", string="Measure")
    clause_name = fields.Char(related="clause_id.name", string="Requirement")
    numerator = fields.Integer(string="Records Met")
    denominator = fields.Integer(string="Records Judged")
    ratio = fields.Float(string="Share (%)", compute="_compute_ratio", digits=(5, 1))
    status = fields.Selection(STATUSES, default="na", required=True)
    status_label = fields.Char(compute="_compute_ratio")
    res_model = fields.Char(string="Evidence Model")
    evidence_ids = fields.Text(default="[]", help="The records judged (JSON ids).")
    gap_ids = fields.Text(default="[]", help="The records judged that do not meet it.")
    comment = fields.Text(string="Assessor's Comment")
    action_id = fields.Many2one(
        "mgmtsystem.action", string="Improvement Action", readonly=True, copy=False
    )

    @api.depends("numerator", "denominator", "status")
    def _compute_ratio(self):
        labels = dict(self._fields["status"]._description_selection(self.env))
        for line in self:
            line.ratio = 100.0 * line.numerator / line.denominator if line.denominator else 0.0
            line.status_label = labels.get(line.status, "")

    @api.model_create_multi
    def create(self, vals_list):
        assessments = self.env["tsq.conformance.assessment"].browse(
            [vals["assessment_id"] for vals in vals_list if vals.get("assessment_id")]
        )
        if any(a.state == "done" for a in assessments):
            raise ValidationError(self.env._("A finished conformance assessment gets no new line."))
        return super().create(vals_list)

    def write(self, vals):
        if any(line.assessment_id.state == "done" for line in self):
            if set(vals) != {"action_id"} or not self.env.su:
                raise ValidationError(
                    self.env._(
                        "A finished conformance assessment is a record and cannot be changed. "
                        "Create a new version to correct it."
                    )
                )
        elif set(vals) - LINE_WRITABLE and not self.env.su:
            raise ValidationError(
                self.env._("Only the assessor's comment is written by hand; compute again.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_finished(self):
        if any(line.assessment_id.state == "done" for line in self):
            raise ValidationError(
                self.env._("A finished conformance assessment is a record and cannot be changed.")
            )

    # ------------------------------------------------------------ evidence
    def _records(self, which="evidence"):
        self.ensure_one()
        ids = json.loads((self.gap_ids if which == "gap" else self.evidence_ids) or "[]")
        if not self.res_model or self.res_model not in self.env:
            return None
        return self.env[self.res_model].with_context(active_test=False).browse(ids)

    def _drill_action(self, which):
        records = self._records(which)
        if records is None:
            raise ValidationError(self.env._("This clause has no records to show."))
        records.check_access("read")
        name = (
            self.env._("%(clause)s: records that fall short", clause=self.code)
            if which == "gap"
            else self.env._("%(clause)s: records judged", clause=self.code)
        )
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": records._name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", records.ids)],
            "context": {"active_test": False, "create": False},
        }

    def action_open_evidence(self):
        return self._drill_action("evidence")

    def action_open_gaps(self):
        return self._drill_action("gap")

    # ------------------------------------------------------------ PDCA
    def _tsq_propose_action(self):
        """One improvement action per clause and period: a later version of the
        same period's assessment joins the action already proposed."""
        self.ensure_one()
        # the action's texts are read by several people: the agency's language
        self = agency_lang(self, self.company_id)
        assessment = self.assessment_id
        Action = self.env["mgmtsystem.action"].sudo()
        existing = Action.search(
            [
                ("tsq_conformance_line_id.clause_id", "=", self.clause_id.id),
                ("tsq_conformance_line_id.assessment_id.company_id", "=", assessment.company_id.id),
                ("tsq_conformance_line_id.assessment_id.date_from", "=", assessment.date_from),
                ("tsq_conformance_line_id.assessment_id.date_to", "=", assessment.date_to),
            ],
            limit=1,
        )
        if existing:
            self.sudo().action_id = existing
            return existing
        statuses = {
            "conforms": self.env._("conforms"),
            "partly": self.env._("partly conforms"),
            "not": self.env._("does not conform"),
            "na": self.env._("not applicable"),
        }
        owner = assessment.assessor_id or self.env.user
        return Action._tsq_propose(
            self,
            "tsq_conformance_line_id",
            self.env._("Conformance gap %(clause)s", clause=self.clause_id.display_name),
            self.env._(
                "%(assessment)s: %(clause)s %(status)s (%(met)s of %(judged)s). %(comment)s",
                assessment=assessment.name,
                clause=self.clause_id.display_name,
                status=statuses.get(self.status, ""),
                met=self.numerator,
                judged=self.denominator,
                comment=self.comment or "",
            ),
            owner,
            "action_id",
        )
