"""Phase 07, demand: yearly volumes of the target segments and the co-design workshops.

`rates` (capture rates and frequencies, survey or params) -> `estimate` (head counts, volumes)
-> `regular` (users coming at least N times a month)
and `workshop` (ideas and votes) -> `tables.build` (every table, written); `views` for readers.
"""
