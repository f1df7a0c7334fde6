from odoo import fields, models
from odoo.exceptions import UserError


class TsqProgressReport(models.Model):
    _name = "tsq.progress.report"
    _description = "Service Progress Report"
    _inherit = ["tsq.record.mixin"]
    _order = "service_id, date desc, id desc"

    service_id = fields.Many2one("project.project", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    summary = fields.Html(required=True)
    sent_at = fields.Datetime(readonly=True)
    sent_by_id = fields.Many2one("res.users", readonly=True)

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {"sent_at", "sent_by_id"}

    def write(self, vals):
        if self.filtered("sent_at") and set(vals) - {"sent_at", "sent_by_id"}:
            raise UserError(
                self.env._("A progress report already sent to the client cannot change.")
            )
        return super().write(vals)

    def action_send(self):
        for report in self.filtered(lambda r: not r.sent_at):
            # sent to the client: in the client's language
            lang = report.service_id.partner_id.lang or report.company_id._tsq_lang()
            service = report.service_id.with_context(lang=lang)
            service.message_post(
                body=report.summary,
                subject=service.env._(
                    "Progress report %(date)s — %(service)s",
                    date=service.company_id._tsq_format_date(report.date, lang),
                    service=service.name,
                ),
                partner_ids=service.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            report.sudo().write({"sent_at": fields.Datetime.now(), "sent_by_id": self.env.user.id})
        return True
