"""The audits and external evaluations section of the management-review pack: :meth:`_tsq_review_sections`
of ``mgmtsystem.review`` (models/review/mgmtsystem_review.py) extended by this domain."""

from datetime import datetime

from odoo import models

from ..review.mgmtsystem_review import LIST_LIMIT


class MgmtsystemReview(models.Model):
    _inherit = "mgmtsystem.review"

    def _tsq_review_sections(self):
        return [*super()._tsq_review_sections(), (70, "audits", self._tsq_pack_audits)]

    def _tsq_display(self, value):
        if isinstance(value, models.BaseModel):
            return ", ".join(value.mapped("display_name"))
        if value is False or value is None:
            return ""
        return str(value)

    def _tsq_pack_audits(self, ctx):
        env, company = ctx["env"], ctx["company"]
        Audit = env["mgmtsystem.audit"]
        states = self._tsq_labels(Audit, "state")
        # the agency's own audits: those of its service-quality system
        audits = Audit.search(
            [
                ("company_id", "=", company.id),
                ("system_id", "=", company._tsq_mgmtsystem().id),
                *self._tsq_in_period(ctx, Audit, "date"),
            ],
            order="date, id",
        )
        section = {
            "count": len(audits),
            "done": len(audits.filtered(lambda a: a.state == "done")),
            "rows": [
                {
                    "reference": audit.reference or "",
                    "name": audit.name or "",
                    "date": self._tsq_local(ctx, audit.date),
                    "state": states.get(audit.state, ""),
                    "nonconformities": audit.number_of_nonconformities,
                    "improvements": audit.number_of_improvements_opportunity,
                }
                for audit in audits[:LIST_LIMIT]
            ],
            "findings_available": "tsq.audit.finding" in env,
            "findings": [],
            "findings_total": 0,
            "external_available": "tsq.external.evaluation" in env,
            "external": [],
        }
        if section["findings_available"]:
            Finding = env["tsq.audit.finding"]
            kinds = self._tsq_labels(Finding, "kind")
            counts = dict(
                Finding._read_group(
                    [("company_id", "=", company.id), *self._tsq_in_period(ctx, Finding, "date")],
                    ["kind"],
                    ["__count"],
                )
            )
            section["findings"] = [
                {"kind": kind, "label": label, "count": counts.get(kind, 0)}
                for kind, label in kinds.items()
            ]
            section["findings_total"] = sum(counts.values())
        if section["external_available"]:
            External = env["tsq.external.evaluation"]
            domain = [("company_id", "=", company.id)]
            if "date" in External._fields:
                domain += self._tsq_in_period(ctx, External, "date")
            for evaluation in External.search(domain, limit=LIST_LIMIT):
                date_value = self._tsq_pick(evaluation, "date")
                if isinstance(date_value, datetime):
                    date_value = self._tsq_local(ctx, date_value)
                section["external"].append(
                    {
                        "body": self._tsq_display(self._tsq_pick(evaluation, "body")),
                        "date": self._tsq_display(date_value),
                        "scope": self._tsq_display(self._tsq_pick(evaluation, "scope")),
                        "score": self._tsq_pick(evaluation, "score"),
                    }
                )
        return section
