"""``clerk simulate``: a realistic hall's working days, made through the real mutations."""
