from . import res_company
from . import mgmtsystem_review_line
from . import mgmtsystem_review
