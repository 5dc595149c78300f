"""Documents, thermal tickets and the print spool. Reads plain data; never the database."""

from printing.errors import FontMissingError, PrinterError
from printing.service import PrintResult, print_ticket
from printing.spool import Spool, SpoolJob
from printing.ticket_data import TicketData

__all__ = [
    "FontMissingError",
    "PrintResult",
    "PrinterError",
    "Spool",
    "SpoolJob",
    "TicketData",
    "print_ticket",
]
