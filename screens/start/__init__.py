"""Start-up, sign-in, window choice and the home screen."""
