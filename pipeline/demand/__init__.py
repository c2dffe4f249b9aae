"""Phase 07, demand: yearly volumes of the target segments and the co-design workshops.

`rates` (capture rates and frequencies, survey or params) -> `estimate` (head counts, volumes)
and `workshop` (ideas and votes) -> `tables.build` (every table, written); `views` for readers.
"""
