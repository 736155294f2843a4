"""Scan intake: a scanner drop folder and a bucket prefix, each consumed the same way — a file is taken
once complete, stored through intake, and only then archived; never taken twice, also after a restart."""
