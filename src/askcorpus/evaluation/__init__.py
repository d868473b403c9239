"""Measuring answers on labelled questions: the seed-question format and SQuAD-style sets (XQuAD-de, GermanQuAD),
with optional news distractors, and the calibration of the abstention floor.

May import `corpus` and everything below it; only `interfaces` imports this package.
"""
