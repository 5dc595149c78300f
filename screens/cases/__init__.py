"""Cases at the counter: open (from a ticket or not), the applicant, the checklist, the outcomes."""
