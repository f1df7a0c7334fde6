from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HrCourseSchedule(models.Model):
    _inherit = "hr.course.schedule"

    tsq_plan_id = fields.Many2one("tsq.training.plan", string="Training Plan", index=True)
    tsq_hours = fields.Float(string="Hours", help="Training hours of one attendance.")
    tsq_topic = fields.Char(string="Topic")
    tsq_internal = fields.Boolean(
        string="Internal Trainer", help="Given by the agency's own staff (not a supplier)."
    )

    @api.constrains("tsq_hours")
    def _check_tsq_hours(self):
        for schedule in self:
            if schedule.tsq_hours < 0:
                raise ValidationError(
                    self.env._("Session %(name)s: hours cannot be negative.", name=schedule.name)
                )
