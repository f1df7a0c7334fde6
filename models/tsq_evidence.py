"""The evidence chain (R4.1.3): a hash chain over every record the standard asks to keep.

When an evidence record becomes final (a gate passage, an acceptance decided, a return
visit done, an SLA clock ended, a complaint closed, a supplier status decided, an
indicator figure closed or recomputed, a management review closed) its meaning — the
fields listed for its model in :data:`EVIDENCE`, the one place that says what is
hashed — is serialised canonically (:mod:`..lib.evidence`) and appended as a *link*
to its company's chain of that kind: ``hash = sha256(previous hash, sequence, kind,
payload)``. Links live in one table, ``tsq.evidence.link``, which keeps the payload
text, so a link proves what the record was when it was sealed even if a workflow later
reopens it; the check compares the latest link of each record with the record as it
is now. Appending locks the chain's head row (``SELECT … FOR UPDATE``), so concurrent
writers queue up and a chain never forks.

A sealed record's hashed fields cannot be changed through the ORM. Workflows that may
change a final record on purpose do so visibly: the SLA engine re-plays clocks and a
Quality Manager recomputes a closed figure (``tsq_evidence_amend`` in the context of a
superuser environment, see ``_tsq_evidence_amending``: the
new result is sealed as the record's next version); a complaint or a clock reopened by
its workflow gets a *reopen* link, and a new version when it is final again.
"""

import base64
import logging
from dataclasses import dataclass

from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..lib import evidence

_logger = logging.getLogger(__name__)

EVIDENCE_KINDS = [
    ("gate_passage", "Gate passages"),
    ("acceptance", "Acceptance decisions"),
    ("return_visit", "Return visits"),
    ("sla_clock", "SLA clock results"),
    ("complaint", "Complaint handling records"),
    ("supplier_status", "Supplier status decisions"),
    ("indicator_figure", "Closed indicator figures"),
    ("indicator_recompute", "Indicator recomputations"),
    ("review", "Management reviews"),
]


@dataclass(frozen=True)
class EvidenceSpec:
    """What is chained for one model: its chain ``kind``; the path to its
    ``company``; the order in which existing records are sealed (``order``); the
    ``fields`` that make its meaning — a name, or ``(name, (sub-fields…))`` for the
    related records as recorded (their ids and those sub-fields). Binary fields
    are hashed as the SHA-256 of their content; attachments by their checksum."""

    kind: str
    company: str
    order: str
    fields: tuple


# The one place that says, per model, which fields are hashed.
EVIDENCE = {
    "tsq.gate.passage": EvidenceSpec(
        "gate_passage",
        "company_id",
        "date, id",
        (
            "service_id",
            "from_stage",
            "to_stage",
            "direction",
            "user_id",
            "date",
            "reason",
            "summary",
            ("attachment_ids", ("checksum",)),
            (
                "item_ids",
                (
                    "stage",
                    "name",
                    "kind",
                    "required",
                    "approver_group_id",
                    "segregation",
                    "done",
                    "done_by_id",
                    "done_at",
                    "evidence_note",
                    "attachment_ids",
                ),
            ),
        ),
    ),
    "tsq.acceptance": EvidenceSpec(
        "acceptance",
        "company_id",
        "decided_at, id",
        (
            "service_id",
            "sequence",
            "submitted_at",
            "submitted_by_id",
            "deliverable_ids",
            "state",
            "decided_at",
            "decision_channel",
            "signed_by",
            "signature",
            "objection_reason",
            "objection_deadline",
            "objection_limit_days",
            "objection_owner_id",
            "objection_outcome",
            "objection_closed_at",
            ("objection_attachment_ids", ("checksum",)),
        ),
    ),
    "tsq.return.visit": EvidenceSpec(
        "return_visit",
        "company_id",
        "done_at, id",
        (
            "service_id",
            "acceptance_id",
            "due_date",
            "done_at",
            "done_by_id",
            "channel",
            "contact_name",
            "score",
            "comments",
        ),
    ),
    "tsq.sla.clock": EvidenceSpec(
        "sla_clock",
        "company_id",
        "reached_at, id",
        (
            "ticket_id",
            "policy_id",
            "amount",
            "unit",
            "start_at",
            "base_deadline",
            "deadline",
            "paused_hours",
            "state",
            "reached_at",
            "breached_at",
            "used_hours",
            "allowed_hours",
        ),
    ),
    "helpdesk.ticket": EvidenceSpec(
        "complaint",
        "company_id",
        "closed_date, id",
        (
            "number",
            "name",
            "description",
            "partner_id",
            "service_id",
            "category_id",
            "team_id",
            "tsq_received_at",
            "tsq_response_message",
            "tsq_responded_at",
            "tsq_responded_by_id",
            "tsq_investigation",
            "tsq_validity",
            "tsq_validity_reason",
            "tsq_judged_at",
            "tsq_judged_by_id",
            "tsq_root_cause",
            "tsq_resolution",
            "tsq_feedback_message",
            "tsq_feedback_at",
            "tsq_feedback_by_id",
            "closed_date",
        ),
    ),
    "tsq.supplier.status": EvidenceSpec(
        "supplier_status",
        "company_id",
        "decided_at, id",
        (
            "partner_id",
            "status",
            "previous_status",
            "service_category_id",
            "decided_by_id",
            "decided_at",
            "reason",
        ),
    ),
    "tsq.indicator.snapshot": EvidenceSpec(
        "indicator_figure",
        "company_id",
        "closed_at, id",
        (
            "indicator_id",
            "period_type",
            "date_from",
            "date_to",
            "split",
            "service_category_id",
            "team_id",
            "numerator",
            "denominator",
            "provisional_count",
            "value",
            "has_data",
            "target",
            "direction",
            "status",
            "closed_at",
        ),
    ),
    "tsq.indicator.recompute": EvidenceSpec(
        "indicator_recompute",
        "snapshot_id.company_id",
        "recomputed_at, id",
        (
            "snapshot_id",
            "user_id",
            "recomputed_at",
            "reason",
            "old_numerator",
            "old_denominator",
            "old_value",
            "new_numerator",
            "new_denominator",
            "new_value",
        ),
    ),
    "mgmtsystem.review": EvidenceSpec(
        "review",
        "company_id",
        "date, id",
        (
            "name",
            "reference",
            "date",
            "user_ids",
            "tsq_period_type",
            "tsq_date_from",
            "tsq_date_to",
            "tsq_generated_at",
            ("tsq_pack_pdf_id", ("checksum",)),
            ("tsq_pack_xlsx_id", ("checksum",)),
            "state",
        ),
    ),
}
KIND_MODELS = {spec.kind: model for model, spec in EVIDENCE.items()}


def _plain(record, name):
    """The value of field ``name`` of ``record`` as plain data for :func:`evidence.canonical`."""
    field = record._fields[name]
    value = record[name]
    if field.type == "many2one":
        return value.id or None
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type == "boolean":
        return bool(value)
    if field.type == "binary":
        return base64.b64decode(value) if value else None
    if field.type in ("integer", "float", "monetary"):
        return value or 0
    if value is False or value is None:
        return None
    if field.type == "html":
        return str(value)
    return value


def _column_value(field, value):
    """A value read in SQL, as :func:`_plain` gives it through the ORM."""
    if field.type == "boolean":
        return bool(value)
    if field.type in ("integer", "float", "monetary"):
        return value or 0
    return value


def _is_column(field):
    return (
        field.store
        and field.column_type
        and not field.translate
        and not field.company_dependent
        and field.type not in ("one2many", "many2many", "binary")
    )


def evidence_payloads(records, spec=None):
    """``{id: payload}``: the meaning of each of ``records`` as the chain hashes it.
    Plain stored fields are read in one SQL query per call (after flushing them), so
    that sealing and checking read exactly what the database holds; related records
    and binary content through the ORM."""
    spec = spec or EVIDENCE[records._name]
    if not records:
        return {}
    columns, others = [], []
    for entry in spec.fields:
        if isinstance(entry, tuple) or not _is_column(records._fields[entry]):
            others.append(entry)
        else:
            columns.append(records._fields[entry])
    records.flush_model([field.name for field in columns])
    records.env.cr.execute(
        SQL(
            "SELECT id, %s FROM %s WHERE id = ANY(%s)",
            SQL(", ").join(SQL.identifier(field.name) for field in columns),
            SQL.identifier(records._table),
            list(records.ids),
        )
    )
    payloads = {}
    for row in records.env.cr.fetchall():
        payload = {"_model": records._name, "_id": row[0]}
        for field, value in zip(columns, row[1:], strict=True):
            payload[field.name] = _column_value(field, value)
        payloads[row[0]] = payload
    if others:
        for record in records.browse(list(payloads)):
            payload = payloads[record.id]
            for entry in others:
                if isinstance(entry, tuple):
                    name, subfields = entry
                    payload[name] = [
                        {"id": sub.id, **{n: _plain(sub, n) for n in subfields}}
                        for sub in record[name].sorted("id")
                    ]
                else:
                    payload[entry] = _plain(record, entry)
    return payloads


def evidence_payload(record, spec=None):
    """The meaning of ``record`` as the chain hashes it (a dict)."""
    record.ensure_one()
    return evidence_payloads(record, spec)[record.id]


def hashed_field_names(model_name):
    return {
        entry[0] if isinstance(entry, tuple) else entry for entry in EVIDENCE[model_name].fields
    }


class TsqEvidenceHead(models.Model):
    """The head of one chain (company, kind): its last sequence number and hash.
    Appending locks this row, so links are appended one transaction at a time."""

    _name = "tsq.evidence.head"
    _description = "Evidence Chain Head"
    _order = "company_id, kind"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    kind = fields.Selection(EVIDENCE_KINDS, required=True, readonly=True)
    seq = fields.Integer(readonly=True)
    hash = fields.Char(readonly=True)

    _sql_constraints = [
        ("company_kind_uniq", "unique (company_id, kind)", "One head per company and kind."),
    ]

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The head of an evidence chain is kept by the system."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_chain(self):
        raise UserError(self.env._("The head of an evidence chain cannot be deleted."))


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
    def _tsq_demo_seal(self):
        """The demo's story is played through the workflows, which seal its records
        as they become final, and then dated back to the days of the story; so its
        chains are built again once, when the demo is loaded, in the order of those
        days (nothing else exists in the database at that point)."""
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM tsq_evidence_link")
        self.env.cr.execute("DELETE FROM tsq_evidence_head")
        return self._tsq_seal_existing_records(announce=False)

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


class TsqEvidenceMixin(models.AbstractModel):
    """An evidence record: sealed into its company's chain when it becomes final
    (see :data:`EVIDENCE` for what is hashed), its hashed fields refused once sealed."""

    _name = "tsq.evidence.mixin"
    _description = "Evidence Record (hash chain)"

    def _tsq_evidence_final(self):
        """The records of ``self`` that are final (sealed when they become so)."""
        return self

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._tsq_evidence_seal()
        return records

    def write(self, vals):
        spec = EVIDENCE.get(self._name)
        if spec is None or not self:
            return super().write(vals)
        amend = self._tsq_evidence_amending(vals)
        was_final = self.sudo()._tsq_evidence_final()
        if was_final and not amend and hashed_field_names(self._name) & set(vals):
            sealed = self.env["tsq.evidence.link"]._tsq_latest(self._name, was_final.ids)
            locked = was_final.filtered(lambda r: sealed.get(r.id, (0, "reopen"))[1] == "seal")
            if locked:
                names = hashed_field_names(self._name) & set(vals)
                raise UserError(
                    self.env._(
                        "%(record)s is sealed in the evidence chain; %(fields)s can no "
                        "longer change.",
                        record=locked[0].display_name,
                        fields=", ".join(
                            sorted(self._fields[n]._description_string(self.env) for n in names)
                        ),
                    )
                )
        res = super().write(vals)
        left = was_final - self.sudo()._tsq_evidence_final()
        if left:
            left._tsq_evidence_reopened()
        self._tsq_evidence_seal(amend=amend)
        return res

    def _tsq_evidence_amending(self, vals):
        """Whether this write may change sealed records, sealing them as their next
        version: a system engine's own write (``tsq_evidence_amend`` in the context of
        a superuser environment: a context sent over RPC does not make one)."""
        return bool(self.env.su and self.env.context.get("tsq_evidence_amend"))

    def _tsq_evidence_unlink_allowed(self):
        """Whether the model's own engine deletes sealed records here (the check
        then reports them as deleted)."""
        return False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed(self):
        if self._tsq_evidence_unlink_allowed():
            return
        latest = self.env["tsq.evidence.link"]._tsq_latest(self._name, self.ids)
        if any(event == "seal" for _version, event, _payload in latest.values()):
            raise UserError(self.env._("A record sealed in the evidence chain cannot be deleted."))

    def _tsq_evidence_company(self):
        spec = EVIDENCE[self._name]
        company = self
        for name in spec.company.split("."):
            company = company[name]
        return company.id or self.env.company.id

    def _tsq_evidence_group(self, entries_by_record):
        """Append per (company, kind), records in id order."""
        kind = EVIDENCE[self._name].kind
        chains = {}
        for record in self.sorted("id"):
            if record.id in entries_by_record:
                chains.setdefault(record._tsq_evidence_company(), []).append(
                    entries_by_record[record.id]
                )
        Link = self.env["tsq.evidence.link"]
        for company_id, entries in chains.items():
            Link._tsq_append(company_id, kind, entries)

    def _tsq_evidence_reopened(self):
        """A sealed record left its final state through its workflow: say so in the chain."""
        records = self.sudo().exists()
        latest = self.env["tsq.evidence.link"]._tsq_latest(self._name, records.ids)
        entries = {}
        for record in records:
            version, event, _payload = latest.get(record.id, (0, None, None))
            if event == "seal":
                text = evidence.canonical(
                    {"_model": self._name, "_id": record.id, "_reopened": True}
                )
                entries[record.id] = (self._name, record.id, version + 1, "reopen", text)
        records._tsq_evidence_group(entries)

    def _tsq_evidence_seal(self, amend=False):
        """Seal the final records of ``self`` that are not sealed yet (or were reopened,
        or amended by their engine). A record already sealed as it is stays as it is;
        one whose content differs from its seal without an amendment is left for the
        check to report."""
        if self._name not in EVIDENCE:
            return
        records = self.sudo().with_context(bin_size=False, prefetch_fields=True).exists()
        records = records._tsq_evidence_final()
        if not records:
            return
        latest = self.env["tsq.evidence.link"]._tsq_latest(self._name, records.ids)
        payloads = evidence_payloads(records)
        entries = {}
        for record in records:
            version, event, payload = latest.get(record.id, (0, None, None))
            text = evidence.canonical(payloads[record.id])
            if event == "seal" and (text == payload or not amend):
                continue
            entries[record.id] = (self._name, record.id, version + 1, "seal", text)
        records._tsq_evidence_group(entries)

    @api.model
    def _tsq_evidence_seal_existing(self, batch=1000):
        """Seal every final record not sealed yet, in the spec's order (the upgrade)."""
        spec = EVIDENCE[self._name]
        Model = self.sudo().with_context(active_test=False, bin_size=False)
        self.env.cr.execute(
            "SELECT DISTINCT res_id FROM tsq_evidence_link WHERE res_model = %s",
            (self._name,),
        )
        sealed = {row[0] for row in self.env.cr.fetchall()}
        ids = [i for i in Model.search([], order=spec.order).ids if i not in sealed]
        count = 0
        for start in range(0, len(ids), batch):
            chunk = Model.browse(ids[start : start + batch])._tsq_evidence_final()
            payloads = evidence_payloads(chunk)
            entries = {
                record.id: (
                    self._name,
                    record.id,
                    1,
                    "seal",
                    evidence.canonical(payloads[record.id]),
                )
                for record in chunk
            }
            # in the spec's order, not by id
            kind = spec.kind
            chains = {}
            for record in chunk:
                chains.setdefault(record._tsq_evidence_company(), []).append(entries[record.id])
            for company_id, rows in chains.items():
                self.env["tsq.evidence.link"]._tsq_append(company_id, kind, rows)
            count += len(chunk)
            chunk.invalidate_recordset()
        return count
