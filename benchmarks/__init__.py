"""Measuring tools: a realistic discussion generator and an in-process benchmark.

`seed_discussion` (and the `seed_discussion` command) fills a database with a
deterministic, realistic discussion; `bench` (the `bench` command, `make bench`)
seeds a throwaway database and measures the site's pages against their targets.
Nothing here is imported by the site itself.
"""
