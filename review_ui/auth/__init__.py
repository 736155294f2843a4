"""Authentication: passwords, second factor, sessions, CSRF and login throttling."""
