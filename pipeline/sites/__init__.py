"""Phase 08, sites: the candidate premises, their catchment, and where to open the tiers-lieu.

`candidates` (the sheet, measured on the map), `catchment` (distance bands, Huff model),
`location` (MCLP and p-median), `ranking` (TOPSIS), `robustness` (weights drawn and varied)
-> `tables.build` (every table, written; `outputs.recommended_site` reads the site phase 08
recommends); `views` and `charts` for readers.
"""
