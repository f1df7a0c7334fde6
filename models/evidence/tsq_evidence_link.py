from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...lib import evidence
from .registry import EVIDENCE, EVIDENCE_KINDS


class TsqEvidenceLink(models.Model):
    """One link of a chain: a record's meaning when it was sealed (or the record
    of its reopening), chained to the link before it."""

    _name = "tsq.evidence.link"
    _description = "Evidence Chain Link"
    _order = "company_id, kind, seq"
    _rec_name = "hash"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    kind = fields.Selection(EVIDENCE_KINDS, required=True, readonly=True)
    seq = fields.Integer("Sequence", required=True, readonly=True)
    res_model = fields.Char("Model", required=True, readonly=True)
    res_id = fields.Many2oneReference("Record", model_field="res_model", readonly=True)
    version = fields.Integer(required=True, readonly=True, default=1)
    event = fields.Selection(
        [("seal", "Sealed"), ("reopen", "Reopened")], required=True, readonly=True
    )
    payload = fields.Text(readonly=True)
    prev_hash = fields.Char("Previous Hash", readonly=True)
    hash = fields.Char(required=True, readonly=True)
    sealed_at = fields.Datetime(required=True, readonly=True, index=True)

    _sql_constraints = [
        (
            "chain_seq_uniq",
            "unique (company_id, kind, seq)",
            "A link's place in its chain is unique.",
        ),
        (
            "record_version_uniq",
            "unique (res_model, res_id, version)",
            "A record is sealed once per version.",
        ),
    ]

    def init(self):
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS tsq_evidence_link_record_idx
                   ON tsq_evidence_link (res_model, res_id, version DESC)"""
        )

    @api.model_create_multi
    def create(self, vals_list):
        if vals_list:
            raise UserError(self.env._("Evidence links are appended by the system only."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("An evidence link cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_chain(self):
        raise UserError(self.env._("An evidence link cannot be deleted."))

    @api.model
    def _tsq_seal_existing_records(self, announce=True):
        """The upgrade to the evidence chain: seal every final record that has no
        link yet, model by model in the order of their dates, and say in each
        company's chatter (its partner's) that its chains start there. Returns
        ``{model: records sealed}``."""
        counts = {}
        for model in EVIDENCE:
            counts[model] = self.env[model]._tsq_evidence_seal_existing()
        self.env.cr.execute("SELECT DISTINCT company_id FROM tsq_evidence_head")
        companies = self.env["res.company"].browse([row[0] for row in self.env.cr.fetchall()])
        if not announce:
            return counts
        for company in companies:
            company = company.with_context(lang=company._tsq_lang())
            chains = company._tsq_chain_heads()
            lines = Markup("").join(
                Markup("<li>%s: %s — <code>%s</code></li>")
                % (chain["label"], chain["seq"], chain["hash"])
                for chain in chains
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                company.env._(
                    "The evidence chains start here: the records that were already final "
                    "were sealed, in their order, when the add-on was upgraded. Heads:"
                ),
                lines,
            )
            company.partner_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        return counts

    # ------------------------------------------------------------ appending
    @api.model
    def _tsq_latest(self, model_name, ids):
        """``{res_id: (version, event, payload)}`` of the latest link of each record."""
        if not ids:
            return {}
        self.env.cr.execute(
            """SELECT DISTINCT ON (res_id) res_id, version, event, payload
                 FROM tsq_evidence_link
                WHERE res_model = %s AND res_id = ANY(%s)
             ORDER BY res_id, version DESC""",
            (model_name, list(ids)),
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _tsq_append(self, company_id, kind, entries, now=None):
        """Append ``entries`` — ``(res_model, res_id, version, event, payload text)`` —
        to chain (company, kind), in that order, under the head's row lock."""
        if not entries:
            return
        cr = self.env.cr
        now = now or fields.Datetime.now()
        cr.execute(
            """INSERT INTO tsq_evidence_head (company_id, kind, seq, hash, create_date, write_date)
               VALUES (%s, %s, 0, '', now() at time zone 'UTC', now() at time zone 'UTC')
               ON CONFLICT (company_id, kind) DO NOTHING""",
            (company_id, kind),
        )
        cr.execute(
            "SELECT id, seq, hash FROM tsq_evidence_head WHERE company_id = %s AND kind = %s FOR UPDATE",
            (company_id, kind),
        )
        head_id, seq, prev = cr.fetchone()
        links = evidence.chain(kind, [entry[4] for entry in entries], prev, seq + 1)
        uid = self.env.uid
        execute_values(
            cr,
            """INSERT INTO tsq_evidence_link
                   (company_id, kind, seq, res_model, res_id, version, event, payload,
                    prev_hash, hash, sealed_at, create_uid, create_date, write_uid, write_date)
               VALUES %s""",
            [
                (
                    company_id,
                    kind,
                    link["seq"],
                    res_model,
                    res_id,
                    version,
                    event,
                    link["payload"],
                    link["prev_hash"],
                    link["hash"],
                    now,
                    uid,
                    now,
                    uid,
                    now,
                )
                for (res_model, res_id, version, event, _text), link in zip(
                    entries, links, strict=True
                )
            ],
            page_size=1000,
        )
        cr.execute(
            "UPDATE tsq_evidence_head SET seq = %s, hash = %s, write_date = %s WHERE id = %s",
            (links[-1]["seq"], links[-1]["hash"], now, head_id),
        )
        self.invalidate_model()
        self.env["tsq.evidence.head"].invalidate_model()
