from odoo import fields, models


class HrCourseAttendee(models.Model):
    _inherit = "hr.course.attendee"

    tsq_hours = fields.Float(related="course_schedule_id.tsq_hours", string="Hours")
    tsq_certificate_ids = fields.Many2many(
        "ir.attachment",
        "tsq_course_attendee_certificate_rel",
        string="Certificate",
    )
