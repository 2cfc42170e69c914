"""Tests of detectors/evaluation/."""
