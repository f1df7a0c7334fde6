from . import tsq_calendar_exception
from . import tsq_calendar_year
from . import tsq_calendar_sync
