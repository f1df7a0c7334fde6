from . import tsq_indicator
from . import tsq_indicator_target
from . import tsq_indicator_card
from . import tsq_indicator_snapshot
from . import tsq_indicator_engine
from . import tsq_indicator_recompute
from . import mgmtsystem_review
