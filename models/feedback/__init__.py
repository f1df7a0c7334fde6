from . import tsq_feedback
from . import survey_question
from . import survey_user_input
from . import tsq_acceptance
from . import tsq_return_visit
from . import res_company
from . import mgmtsystem_review
