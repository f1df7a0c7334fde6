from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..core.tsq_concurrency import lock_for_decision


class TsqChangeRequest(models.Model):
    """A change to the agreed plan during implementation (S4): approved inside
    the agency, then consented to by the client, before it takes effect."""

    _name = "tsq.change.request"
    _description = "Service Change Request"
    _inherit = ["mail.thread", "tsq.record.mixin"]
    _order = "service_id, id desc"

    service_id = fields.Many2one("project.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    name = fields.Char(required=True, tracking=True)
    description = fields.Text()
    impact = fields.Selection(
        [("scope", "Scope"), ("schedule", "Schedule"), ("fee", "Fees"), ("staff", "Staff")],
        required=True,
        default="scope",
    )
    requested_by = fields.Selection(
        [("client", "Client"), ("agency", "Agency")], required=True, default="client"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("approved", "Approved internally"),
            ("consented", "Consented by client"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        tracking=True,
        readonly=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_at = fields.Datetime(readonly=True)
    consent_at = fields.Datetime(readonly=True)
    consent_by = fields.Char(readonly=True)
    consent_attachment_ids = fields.Many2many(
        "ir.attachment", "tsq_change_consent_attachment_rel", string="Consent Evidence"
    )

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {
            "state",
            "approved_by_id",
            "approved_at",
            "consent_at",
            "consent_by",
        }

    def write(self, vals):
        if self.filtered(lambda c: c.state != "draft") and set(vals) & {
            "name",
            "description",
            "impact",
            "requested_by",
            "service_id",
        }:
            raise UserError(self.env._("A change request can be edited only while it is a draft."))
        return super().write(vals)

    def _is_settled(self):
        self.ensure_one()
        return self.state in ("consented", "rejected")

    def _check_manager(self):
        if not self.env.user.has_group("tech_service_quality.group_tsq_manager"):
            raise AccessError(self.env._("Only a service manager can decide on a change request."))

    def action_approve(self):
        self._check_manager()
        lock_for_decision(self)
        for change in self:
            if change.state != "draft":
                raise UserError(self.env._("Only a draft change request can be approved."))
            if change.create_uid == self.env.user:
                raise UserError(
                    self.env._("A change request is approved by someone other than its author.")
                )
            change.sudo().write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.user.id,
                    "approved_at": fields.Datetime.now(),
                }
            )
        return True

    def action_reject(self):
        self._check_manager()
        lock_for_decision(self)
        self.filtered(lambda c: c.state in ("draft", "approved")).sudo().write(
            {"state": "rejected"}
        )
        return True

    def action_record_consent(self):
        lock_for_decision(self)
        for change in self:
            if change.state != "approved":
                raise UserError(self.env._("The client consents to an approved change only."))
            if not change.consent_attachment_ids:
                raise UserError(self.env._("Attach the client's written consent first."))
            change._consent(change.service_id.partner_id.name)
        return True

    def _consent(self, name):
        self.ensure_one()
        self.sudo().write(
            {"state": "consented", "consent_at": fields.Datetime.now(), "consent_by": name}
        )
        return True
