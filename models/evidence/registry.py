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

from odoo.tools import SQL

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
