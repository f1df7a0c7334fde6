from . import portal
from . import helpdesk
from . import complaint
