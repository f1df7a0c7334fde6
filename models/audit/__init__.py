from . import tsq_external_evaluation
from . import mgmtsystem_action
from . import mgmtsystem_audit
from . import tsq_audit_plan
from . import tsq_audit_finding
from . import mgmtsystem_nonconformity
from . import mgmtsystem_review
