from odoo import api, models


class TsqDemoLoader(models.AbstractModel):
    _name = "tsq.demo.loader"
    _description = "Demo Agency Loader"

    @api.model
    def _load_demo(self):
        return True
