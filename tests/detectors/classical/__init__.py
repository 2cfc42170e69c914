"""Tests of detectors/classical/."""
