"""Tests of detectors/lm/."""
