from . import tsq_evidence_head
from . import tsq_evidence_link
from . import tsq_evidence_mixin
from . import registry
from . import res_company
from . import tsq_evidence_check
from . import tsq_evidence_check_line
