"""18.0.1.2.0: the evidence chain (R4.1.3).

The records already final when the add-on is upgraded are hashed once, model by
model in the order of their dates, into their company's chains; each company's
chatter (its partner's: res.company has none) says that the chains start there.
Running it again seals nothing twice: a record that has a link is left alone.
"""

from odoo import SUPERUSER_ID, api


def seal_existing(env):
    """Seal every final record that has no link yet; returns ``{model: count}``."""
    return env["tsq.evidence.link"]._tsq_seal_existing_records()


def migrate(cr, version):
    if not version:
        return
    seal_existing(api.Environment(cr, SUPERUSER_ID, {}))
