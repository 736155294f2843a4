"""Thin routes: parse, authorise (the guard in ``deps``), call a service, render or redirect."""
