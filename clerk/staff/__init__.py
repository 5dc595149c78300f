"""Staff: sign-in and lockout, signed staff sessions, seats at windows."""
