"""Tests of detectors/deep/."""
