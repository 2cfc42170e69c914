"""Tests of detectors/datasets/."""
