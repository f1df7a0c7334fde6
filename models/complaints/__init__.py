from . import tsq_sla_policy
from . import tsq_ticket_stage_log
from . import tsq_sla_clock
from . import helpdesk_ticket_category
from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import tsq_sla_report
from . import mgmtsystem_review
