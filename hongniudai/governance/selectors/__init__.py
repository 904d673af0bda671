"""Every read of source governance for an acting user, one module per topic:

- `matter`: lists, the inbox, a matter's file and timeline, signals, the API's details;
- `stats`: the measures of a node and period, their monthly series, the matters behind them;
- `people`: handlers, invitable people, where a point lies;
- `rules`: the deadline rules;
- `settings`: the working calendar, categories and Open311 keys of the administrator's pages.

A selector never writes and never calls a service. Re-exported here: `selectors.matters(...)`."""

from .matter import *  # noqa: F403
from .people import *  # noqa: F403
from .rules import *  # noqa: F403
from .settings import *  # noqa: F403
from .stats import *  # noqa: F403
