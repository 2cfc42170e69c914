"""Tests of detectors/grammar/."""
