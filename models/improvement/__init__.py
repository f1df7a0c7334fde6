from . import mgmtsystem_action
from . import tsq_acceptance
from . import tsq_sla_policy
from . import tsq_sla_clock
from . import mgmtsystem_review
