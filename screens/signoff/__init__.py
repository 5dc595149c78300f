"""The chief representative's screens: the sign-off queue and one request."""
