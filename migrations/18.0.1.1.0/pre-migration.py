"""18.0.1.1.0: the official holidays are synced from the chinese-calendar package.

The 2025-2026 days that earlier versions shipped as XML records become *official*
rows (the sync then keeps them in step with the package and names them in English
and Chinese); their XML ids go, so nothing refers to the removed data file.  Rows a
company or a user entered stay *entered by hand*.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE tsq_calendar_exception ADD COLUMN IF NOT EXISTS origin varchar")
    cr.execute(
        """UPDATE tsq_calendar_exception e SET origin = 'official'
             FROM ir_model_data d
            WHERE d.model = 'tsq.calendar.exception' AND d.res_id = e.id
              AND d.module = 'tech_service_quality' AND d.name LIKE 'calendar\\_exception\\_%%'
              AND e.company_id IS NULL"""
    )
    cr.execute(
        """DELETE FROM ir_model_data
            WHERE model = 'tsq.calendar.exception' AND module = 'tech_service_quality'
              AND name LIKE 'calendar\\_exception\\_%%'"""
    )
