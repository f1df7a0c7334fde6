"""Demo services of the demo agency, built through the real lifecycle.

Every service is registered in S1 by a Service User and walked through the real
gates: work items by the responsible Service User, approvals by a Service
Manager who did none of the work ("not by the doer"), the client's plan
confirmation, acceptance signature or objection, return visit and feedback —
all with the models' own methods, acting ``with_user()`` as the demo staff and
the demo clients' portal users. Nothing here bypasses a rule of the models.

The one liberty taken is time. The models stamp every step with "now", so a
freshly installed demo would have a whole year happen within one second. To
give the dashboards a history, each step is given the moment it "happened"
(January to November 2026) and, once all services are built, those moments are
written back with plain SQL UPDATEs over the system timestamps (received <
first response < gate passages < acceptance < return visit), and the stored
values computed from them (stage deadlines, acceptance facts) are recomputed.
This backdating is done here, in the demo loader only, and nowhere else.

The calendar of the story is anchored on 2026-11-24; installed on a later (or
earlier) date, the whole story moves by whole weeks so that it always ends
"yesterday" and keeps its shape: one service late in its stage, the others on
time.
"""

from odoo import api, models

from ..models.core.res_company import in_agency_language
from .tsq_demo_builder import _DemoBuilder
from .tsq_demo_services_1 import SERVICES_1
from .tsq_demo_services_2 import SERVICES_2
from .tsq_demo_steps import MARKER

SERVICES = [*SERVICES_1, *SERVICES_2]


class TsqDemoLoader(models.AbstractModel):
    _name = "tsq.demo.loader"
    _description = "Demo Agency Loader"

    @api.model
    def _load_demo_languages(self):
        """The demo agency and its clients and suppliers read Chinese (when it is
        installed): their e-mails, portal and printed records are in Chinese; and
        the dependencies' own demo records (helpdesk_mgmt's sample tickets) are not
        the agency's story."""
        if self.env["res.lang"]._get_data(code="zh_CN"):
            partners = self.env["res.partner"].search(
                [
                    "|",
                    ("id", "=", self.env.company.partner_id.id),
                    ("id", "in", self._demo_partner_ids()),
                ]
            )
            partners.write({"lang": "zh_CN"})
        samples = self.env["ir.model.data"].search(
            [("module", "=", "helpdesk_mgmt"), ("model", "=", "helpdesk.ticket")]
        )
        self.env["helpdesk.ticket"].browse(samples.mapped("res_id")).exists().write(
            {"active": False}
        )
        return True

    @api.model
    def _demo_partner_ids(self):
        """The partners of the add-on's demo data (clients, contacts, suppliers)."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "tech_service_quality"), ("model", "=", "res.partner")]
        )
        return data.mapped("res_id")

    @api.model
    @in_agency_language
    def _load_demo(self):
        if (
            self.env["project.project"]
            .sudo()
            .search_count([("is_service", "=", True), ("name", "=", MARKER)])
        ):
            return True
        env = self.env(
            context=dict(
                self.env.context,
                mail_notify_force_send=False,
                no_reset_password=True,
                tz="Asia/Shanghai",
            )
        )
        builder = _DemoBuilder(env)
        for spec in SERVICES:
            builder.build(spec)
        builder.backdate()
        return True
