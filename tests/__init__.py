from . import test_gate
from . import test_calendar
from . import test_security
from . import test_backend_ui
