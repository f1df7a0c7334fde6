from odoo import api, models
from odoo.exceptions import UserError

from ...lib import evidence
from .registry import EVIDENCE, evidence_payloads, hashed_field_names


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
