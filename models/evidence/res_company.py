from odoo import models

from .registry import EVIDENCE_KINDS


class ResCompany(models.Model):
    _inherit = "res.company"

    def _tsq_chain_heads(self, at=None):
        """The head of each of the company's evidence chains at ``at`` (UTC, now
        when None): ``[{"kind", "label", "seq", "hash"}]`` in the order of the kinds,
        chains without a link at that time left out. A printed head anchors the
        chain: a later check proves nothing before it was changed."""
        self.ensure_one()
        self.env.cr.execute(
            """SELECT DISTINCT ON (kind) kind, seq, hash
                 FROM tsq_evidence_link
                WHERE company_id = %s AND (%s::timestamp IS NULL OR sealed_at <= %s)
             ORDER BY kind, seq DESC""",
            (self.id, at, at),
        )
        found = {kind: (seq, digest) for kind, seq, digest in self.env.cr.fetchall()}
        labels = dict(
            self.env["tsq.evidence.link"]._fields["kind"]._description_selection(self.env)
        )
        return [
            {"kind": kind, "label": labels[kind], "seq": found[kind][0], "hash": found[kind][1]}
            for kind, _label in EVIDENCE_KINDS
            if kind in found
        ]
