from . import portal
from . import project_portal
from . import helpdesk
from . import complaint
from . import report
from . import mail
