"""Tests of detectors/support/."""
