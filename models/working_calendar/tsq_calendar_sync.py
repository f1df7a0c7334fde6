from odoo import api, fields, models


class TsqCalendarSync(models.Model):
    """One line per sync of the official calendar: what the package held and what
    changed.  Written by the system only."""

    _name = "tsq.calendar.sync"
    _description = "Official Calendar Sync"
    _order = "create_date desc, id desc"
    _rec_name = "summary"

    package_version = fields.Char(readonly=True)
    first_year = fields.Integer(readonly=True)
    last_year = fields.Integer(readonly=True)
    added_count = fields.Integer(string="Added", readonly=True)
    corrected_count = fields.Integer(string="Corrected", readonly=True)
    removed_count = fields.Integer(string="Archived", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    kept_count = fields.Integer(
        string="Kept as Entered",
        readonly=True,
        help="Days entered by hand that the official schedule lists otherwise: a sync "
        "never changes them; check them.",
    )
    kept_dates = fields.Char(readonly=True)
    summary = fields.Char(compute="_compute_summary")

    @api.depends(
        "package_version",
        "first_year",
        "last_year",
        "added_count",
        "corrected_count",
        "removed_count",
        "unchanged_count",
        "kept_count",
        "kept_dates",
    )
    def _compute_summary(self):
        for log in self:
            if log.added_count or log.corrected_count or log.removed_count:
                text = self.env._(
                    "chinese-calendar %(version)s (%(first)s–%(last)s): %(added)s days added, "
                    "%(corrected)s corrected, %(removed)s archived, %(unchanged)s unchanged.",
                    version=log.package_version,
                    first=log.first_year,
                    last=log.last_year,
                    added=log.added_count,
                    corrected=log.corrected_count,
                    removed=log.removed_count,
                    unchanged=log.unchanged_count,
                )
            else:
                text = self.env._(
                    "chinese-calendar %(version)s (%(first)s–%(last)s): nothing changed "
                    "(%(unchanged)s days checked).",
                    version=log.package_version,
                    first=log.first_year,
                    last=log.last_year,
                    unchanged=log.unchanged_count,
                )
            if log.kept_count:
                text += " " + self.env._(
                    "Kept as entered by hand although the official schedule differs: %(dates)s.",
                    dates=log.kept_dates,
                )
            log.summary = text
