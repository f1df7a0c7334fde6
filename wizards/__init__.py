from . import tsq_stage_move_wizard
from . import tsq_indicator_wizard
from . import tsq_review_wizard
from . import tsq_calendar_year_wizard
from . import tsq_conformance_wizard
from . import tsq_staff_scorecard_compute
