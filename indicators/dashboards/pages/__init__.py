"""What each dashboard shows: its data table (read a page at a time), summary and charts, from the figures.
One module per page, each returning a base.Page."""

from .digitization import digitization
from .online_payment import online_payment
from .overdue import overdue
from .overview import overview
from .profile import profile
from .ranking import ranking
from .submissions import submission_list

__all__ = ["digitization", "online_payment", "overdue", "overview", "profile", "ranking", "submission_list"]
