"""Deterministic synthetic sample data shaped like the files OIC member states send.

Entry point: `pipelines.sample.generator.generate`.
"""
