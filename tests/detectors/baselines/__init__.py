"""Tests of detectors/baselines/."""
